import { describe, expect, it } from 'vitest'
import { minimizeLbfgs } from '../../../../native-models/analysis/probes-logistic/index.ts'
import type { Objective } from '../../../../native-models/analysis/probes-logistic/index.ts'

/** f(x) = ½ Σ d_i (x_i − t_i)² + ½ c (x_0 − x_1)² : an ill-conditioned quadratic, minimum at t. */
function quadratic(
  diagonal: readonly number[],
  target: readonly number[],
  coupling: number,
): Objective {
  return (x) => {
    const gradient = new Float64Array(x.length)
    let value = 0
    for (let i = 0; i < x.length; i++) {
      const r = x[i] - target[i]
      value += 0.5 * diagonal[i] * r * r
      gradient[i] = diagonal[i] * r
    }
    const gap = x[0] - target[0] - (x[1] - target[1])
    value += 0.5 * coupling * gap * gap
    gradient[0] += coupling * gap
    gradient[1] -= coupling * gap
    return Promise.resolve({ value, gradient })
  }
}

const rosenbrock: Objective = (x) => {
  const [a, b] = x
  const value = (1 - a) ** 2 + 100 * (b - a * a) ** 2
  const gradient = Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a))
  return Promise.resolve({ value, gradient })
}

describe('minimizeLbfgs', () => {
  const diagonal = Array.from({ length: 20 }, (_, i) => 10 ** (i / 5 - 2))
  const target = Array.from({ length: 20 }, (_, i) => Math.sin(i + 1) * 3)

  // scipy's L-BFGS-B (maxcor 10) needs 301 / 425 iterations for gtol 1e-6 / 1e-8 here; this
  // implementation took 298 / 416 when written.
  it('reaches the minimiser of an ill-conditioned quadratic (condition number ~6e3)', async () => {
    const result = await minimizeLbfgs(quadratic(diagonal, target, 5), new Float64Array(20), {
      maxIterations: 1000,
      gradientTolerance: 1e-9,
    })
    expect(result.converged).toBe(true)
    expect(result.stopReason).toBe('gradient-tolerance')
    expect(result.gradientMaxAbs).toBeLessThanOrEqual(1e-9)
    expect(result.iterations).toBeLessThan(600)
    result.point.forEach((x, i) => expect(x).toBeCloseTo(target[i], 6))
    expect(result.value).toBeLessThan(1e-15)
    expect(result.evaluations).toBeGreaterThanOrEqual(result.iterations + 1)
  })

  it('finds the Rosenbrock minimum at (1, 1) from (−1.2, 1)', async () => {
    const result = await minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), {
      maxIterations: 200,
      gradientTolerance: 1e-9,
    })
    expect(result.converged).toBe(true)
    expect(result.point[0]).toBeCloseTo(1, 7)
    expect(result.point[1]).toBeCloseTo(1, 7)
  })

  it('stops after maxIterations and says it did not converge', async () => {
    const result = await minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), {
      maxIterations: 3,
      gradientTolerance: 1e-9,
    })
    expect(result).toMatchObject({ iterations: 3, converged: false, stopReason: 'max-iterations' })
  })

  it('takes no step from a point that already meets the tolerance', async () => {
    const result = await minimizeLbfgs(rosenbrock, Float64Array.of(1, 1), {
      maxIterations: 10,
      gradientTolerance: 1e-9,
    })
    expect(result).toMatchObject({ iterations: 0, evaluations: 1, converged: true })
  })

  it('leaves the starting point untouched', async () => {
    const start = Float64Array.of(-1.2, 1)
    await minimizeLbfgs(rosenbrock, start, { maxIterations: 20, gradientTolerance: 1e-9 })
    expect([...start]).toEqual([-1.2, 1])
  })

  it('reports a failed line search when the gradient points uphill', async () => {
    const lying: Objective = async (x) => {
      const { value, gradient } = await rosenbrock(x)
      return { value, gradient: gradient.map((g) => -g) }
    }
    const result = await minimizeLbfgs(lying, Float64Array.of(-1.2, 1), {
      maxIterations: 50,
      gradientTolerance: 1e-9,
    })
    expect(result).toMatchObject({ converged: false, stopReason: 'line-search-failed' })
    expect(result.point[0]).toBe(-1.2)
  })
})
