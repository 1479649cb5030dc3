/** f and ∇f at one point. */
export interface Evaluation {
  value: number
  gradient: Float64Array
}

export type Objective = (point: Float64Array) => Promise<Evaluation>

/** The accepted point of a line search along x + t·d. */
export interface LineSearchStep extends Evaluation {
  step: number
  point: Float64Array
}

export interface LineSearchOptions {
  /** Sufficient decrease (Armijo) constant. */
  c1: number
  /** Curvature constant of the strong Wolfe condition. */
  c2: number
  maxEvaluations: number
  /**
   * Approximate Wolfe (Hager & Zhang 2005, their ε): near the optimum a decrease can be smaller
   * than the loss's rounding noise (the ORT graph's float32 logits: ~1e-8 absolute, measured at
   * n = 1000, k = 64), so a step whose slope meets the curvature condition is also taken when f
   * rose by at most this fraction of |f(x)|.
   */
  valueNoise: number
}

export const DEFAULT_LINE_SEARCH: LineSearchOptions = {
  c1: 1e-4,
  c2: 0.9,
  maxEvaluations: 25,
  valueNoise: 1e-6,
}

interface Trial extends LineSearchStep {
  slope: number
}

interface Bracket {
  low: Trial
  high: Trial
}

/**
 * A step along the descent direction d that satisfies the strong Wolfe conditions, by the
 * bracketing and zoom of Nocedal & Wright (Algorithms 3.5 and 3.6) with safeguarded cubic
 * interpolation; null when none was found within the evaluation budget.
 */
export async function strongWolfeStep(
  objective: Objective,
  start: Float64Array,
  startValue: Evaluation,
  direction: Float64Array,
  initialStep: number,
  options: LineSearchOptions = DEFAULT_LINE_SEARCH,
): Promise<LineSearchStep | null> {
  const origin: Trial = {
    ...startValue,
    step: 0,
    point: start,
    slope: dot(startValue.gradient, direction),
  }
  if (!(origin.slope < 0)) return null
  const tester = new WolfeTester(origin, options)
  const evaluate = async (step: number): Promise<Trial> => {
    const point = start.map((x, i) => x + step * direction[i])
    const evaluation = await objective(point)
    return { ...evaluation, step, point, slope: dot(evaluation.gradient, direction) }
  }
  let previous = origin
  let step = initialStep
  for (let count = 0; count < options.maxEvaluations; count++) {
    const trial = await evaluate(step)
    if (tester.accepts(trial)) return trial
    if (!tester.decreases(trial) || (count > 0 && trial.value >= previous.value)) {
      return zoom(
        evaluate,
        tester,
        { low: previous, high: trial },
        options.maxEvaluations - count - 1,
      )
    }
    if (trial.slope >= 0) {
      return zoom(
        evaluate,
        tester,
        { low: trial, high: previous },
        options.maxEvaluations - count - 1,
      )
    }
    previous = trial
    step *= 2
  }
  return null
}

class WolfeTester {
  readonly #origin: Trial
  readonly #options: LineSearchOptions

  constructor(origin: Trial, options: LineSearchOptions) {
    this.#origin = origin
    this.#options = options
  }

  decreases(trial: Trial): boolean {
    const { value, slope } = this.#origin
    return trial.value <= value + this.#options.c1 * trial.step * slope
  }

  accepts(trial: Trial): boolean {
    const { value, slope } = this.#origin
    const curvature = Math.abs(trial.slope) <= -this.#options.c2 * slope
    if (curvature && this.decreases(trial)) return true
    // Hager & Zhang's σφ′(0) ≤ φ′(t) ≤ (2δ − 1)φ′(0) with σ = c2 and δ = 0.1.
    const withinNoise = trial.value <= value + this.#options.valueNoise * Math.abs(value)
    const approximateSlope = slope * this.#options.c2 <= trial.slope && trial.slope <= -0.8 * slope
    return withinNoise && approximateSlope
  }
}

async function zoom(
  evaluate: (step: number) => Promise<Trial>,
  tester: WolfeTester,
  bracket: Bracket,
  budget: number,
): Promise<LineSearchStep | null> {
  let { low, high } = bracket
  for (let count = 0; count < budget; count++) {
    const trial = await evaluate(interpolate(low, high))
    if (tester.accepts(trial)) return trial
    if (!tester.decreases(trial) || trial.value >= low.value) {
      high = trial
      continue
    }
    if (trial.slope * (high.step - low.step) >= 0) high = low
    low = trial
    if (Math.abs(high.step - low.step) <= 1e-14 * Math.max(1, Math.abs(low.step))) break
  }
  return low.step > 0 && tester.decreases(low) ? low : null
}

/** The cubic's minimiser on [low, high] (Hermite data at both ends), kept away from the ends. */
function interpolate(low: Trial, high: Trial): number {
  const width = high.step - low.step
  const d1 = low.slope + high.slope - (3 * (low.value - high.value)) / (low.step - high.step)
  const discriminant = d1 * d1 - low.slope * high.slope
  const margin = 0.1 * Math.abs(width)
  const lower = Math.min(low.step, high.step) + margin
  const upper = Math.max(low.step, high.step) - margin
  if (discriminant >= 0) {
    const d2 = Math.sign(width) * Math.sqrt(discriminant)
    const ratio = (high.slope + d2 - d1) / (high.slope - low.slope + 2 * d2)
    const candidate = high.step - width * ratio
    if (Number.isFinite(candidate) && candidate >= lower && candidate <= upper) return candidate
  }
  return low.step + width / 2
}

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i]
  return sum
}
