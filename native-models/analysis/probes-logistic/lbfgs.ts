import { DEFAULT_LINE_SEARCH, dot, strongWolfeStep } from './line-search.ts'
import type { Evaluation, LineSearchOptions, Objective } from './line-search.ts'
import type { StopReason } from './types.ts'

export interface LbfgsOptions {
  maxIterations: number
  /** Converged when gradientMeasure(∇f) ≤ this. */
  gradientTolerance: number
  /** Default max |∇f|; a fit in changed coordinates measures the gradient of the original ones. */
  gradientMeasure?: (gradient: Float64Array) => number
  /** Correction pairs kept; default 10. */
  memory?: number
  lineSearch?: LineSearchOptions
}

export interface LbfgsResult extends Evaluation {
  point: Float64Array
  iterations: number
  evaluations: number
  converged: boolean
  stopReason: StopReason
  /** gradientMeasure at the returned point. */
  gradientMaxAbs: number
}

interface CorrectionPair {
  s: Float64Array
  y: Float64Array
  rho: number
}

/**
 * Minimises a smooth function by limited-memory BFGS (Nocedal & Wright, Algorithms 7.4 and 7.5)
 * with a strong Wolfe line search. The starting point is not modified.
 */
export async function minimizeLbfgs(
  objective: Objective,
  start: Float64Array,
  options: LbfgsOptions,
): Promise<LbfgsResult> {
  const memory = options.memory ?? 10
  const lineSearch = options.lineSearch ?? DEFAULT_LINE_SEARCH
  const measure = options.gradientMeasure ?? maxAbs
  const isConverged = (evaluation: Evaluation) =>
    measure(evaluation.gradient) <= options.gradientTolerance
  let evaluations = 1
  const counted: Objective = (point) => {
    evaluations++
    return objective(point)
  }
  let point: Float64Array = Float64Array.from(start)
  let current = await objective(point)
  const pairs: CorrectionPair[] = []
  const finish = (iterations: number, stopReason: StopReason): LbfgsResult => ({
    ...current,
    point,
    iterations,
    evaluations,
    converged: isConverged(current),
    stopReason,
    gradientMaxAbs: measure(current.gradient),
  })
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (isConverged(current)) return finish(iteration, 'gradient-tolerance')
    let direction = searchDirection(current.gradient, pairs)
    if (!(dot(direction, current.gradient) < 0)) {
      pairs.length = 0
      direction = current.gradient.map((g) => -g)
    }
    const initialStep = pairs.length === 0 ? Math.min(1, 1 / norm(current.gradient)) : 1
    let step = await strongWolfeStep(counted, point, current, direction, initialStep, lineSearch)
    if (step === null && pairs.length > 0) {
      // A stale curvature history can give a poor direction: retry once along −∇f.
      pairs.length = 0
      direction = current.gradient.map((g) => -g)
      const steepestStep = Math.min(1, 1 / norm(current.gradient))
      step = await strongWolfeStep(counted, point, current, direction, steepestStep, lineSearch)
    }
    if (step === null) return finish(iteration, 'line-search-failed')
    remember(
      pairs,
      memory,
      difference(step.point, point),
      difference(step.gradient, current.gradient),
    )
    point = step.point
    current = { value: step.value, gradient: step.gradient }
  }
  const reason = isConverged(current) ? 'gradient-tolerance' : 'max-iterations'
  return finish(options.maxIterations, reason)
}

/** −H·g by the two-loop recursion, H₀ = (sᵀy / yᵀy)·I from the newest pair. */
function searchDirection(gradient: Float64Array, pairs: readonly CorrectionPair[]): Float64Array {
  const q = gradient.map((g) => -g)
  const alphas = new Float64Array(pairs.length)
  for (let i = pairs.length - 1; i >= 0; i--) {
    const pair = pairs[i]
    alphas[i] = pair.rho * dot(pair.s, q)
    axpy(-alphas[i], pair.y, q)
  }
  const newest = pairs.at(-1)
  if (newest !== undefined) scale(q, dot(newest.s, newest.y) / dot(newest.y, newest.y))
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]
    const beta = pair.rho * dot(pair.y, q)
    axpy(alphas[i] - beta, pair.s, q)
  }
  return q
}

// A pair with sᵀy ≤ 0 would make H indefinite; the strong Wolfe step guarantees sᵀy > 0, the
// approximate-Wolfe and Armijo-only fallbacks do not.
function remember(pairs: CorrectionPair[], memory: number, s: Float64Array, y: Float64Array): void {
  const sy = dot(s, y)
  if (!(sy > 1e-12 * dot(y, y))) return
  pairs.push({ s, y, rho: 1 / sy })
  if (pairs.length > memory) pairs.shift()
}

function difference(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((value, i) => value - b[i])
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i]
}

function scale(x: Float64Array, factor: number): void {
  for (let i = 0; i < x.length; i++) x[i] *= factor
}

function norm(x: Float64Array): number {
  return Math.sqrt(dot(x, x))
}

export function maxAbs(x: Float64Array): number {
  let largest = 0
  for (const value of x) largest = Math.max(largest, Math.abs(value))
  return largest
}
