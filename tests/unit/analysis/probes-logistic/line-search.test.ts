import { describe, expect, it } from 'vitest'
import {
  DEFAULT_LINE_SEARCH,
  strongWolfeStep,
} from '../../../../native-models/analysis/probes-logistic/line-search.ts'
import type { Objective } from '../../../../native-models/analysis/probes-logistic/line-search.ts'

/** φ(x) = (x − 3)⁴ + x² along the x axis (one dimension). */
const quartic: Objective = (x) => {
  const t = x[0]
  return Promise.resolve({
    value: (t - 3) ** 4 + t * t,
    gradient: Float64Array.of(4 * (t - 3) ** 3 + 2 * t),
  })
}

async function at(objective: Objective, t: number) {
  return objective(Float64Array.of(t))
}

describe('strongWolfeStep', () => {
  it.each([1e-3, 1, 50])(
    'returns a step meeting both strong Wolfe conditions from an initial step of %s',
    async (initialStep) => {
      const origin = await at(quartic, 0)
      const direction = Float64Array.of(1)
      const step = await strongWolfeStep(
        quartic,
        Float64Array.of(0),
        origin,
        direction,
        initialStep,
      )
      expect(step).not.toBeNull()
      const slope0 = origin.gradient[0]
      const { c1, c2 } = DEFAULT_LINE_SEARCH
      expect(step!.value).toBeLessThanOrEqual(origin.value + c1 * step!.step * slope0)
      expect(Math.abs(step!.gradient[0])).toBeLessThanOrEqual(-c2 * slope0)
      expect(step!.point[0]).toBe(step!.step)
    },
  )

  it('refuses a direction that does not descend', async () => {
    const origin = await at(quartic, 0)
    const step = await strongWolfeStep(quartic, Float64Array.of(0), origin, Float64Array.of(-1), 1)
    expect(step).toBeNull()
  })

  it('takes a flat-slope step whose value rose by less than the noise allowance', async () => {
    // 1 + x², plus 1e-9 of "rounding noise" everywhere but the start x₀ = −1e-5: the exact
    // minimiser x = 0 looks higher than x₀ (true decrease 1e-10), so Armijo fails there; its slope
    // is 0 and the rise is below 1e-6·|f|, so the approximate Wolfe condition takes it.
    const start = -1e-5
    const noisy: Objective = (x) =>
      Promise.resolve({
        value: 1 + x[0] * x[0] + (x[0] === start ? 0 : 1e-9),
        gradient: Float64Array.of(2 * x[0]),
      })
    const origin = await noisy(Float64Array.of(start))
    const search = (options = DEFAULT_LINE_SEARCH) =>
      strongWolfeStep(noisy, Float64Array.of(start), origin, Float64Array.of(1), 1e-5, options)
    expect((await search())?.point[0]).toBe(0)
    expect(await search({ ...DEFAULT_LINE_SEARCH, valueNoise: 0 })).toBeNull()
  })
})
