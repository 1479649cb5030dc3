/** One point of a bit sweep: the width b and an error measure (KL, 1 − top-1, …) at it. */
export interface SweepPoint {
  bits: number
  error: number
}

/** A step to a wider b where the error went up instead of down. */
export interface MonotonicityViolation {
  fromBits: number
  toBits: number
  fromError: number
  toError: number
  /** toError − fromError (> 0). */
  increase: number
}

export interface MonotonicityCheck {
  /** True when the error never increases from one width to the next wider one. */
  isMonotonic: boolean
  violations: MonotonicityViolation[]
}

/**
 * Checks that the error does not increase as b grows (equal errors count as monotone), comparing
 * each width with the next wider one; the violations are reported, the sweep is never changed.
 * @example checkMonotonicity([{ bits: 2, error: 0.5 }, { bits: 4, error: 0.6 }]).isMonotonic // false
 */
export function checkMonotonicity(sweep: readonly SweepPoint[]): MonotonicityCheck {
  const sorted = [...sweep].sort((a, b) => a.bits - b.bits)
  for (const [i, point] of sorted.entries()) {
    if (!Number.isFinite(point.error))
      throw new RangeError(`The error at b = ${point.bits} is ${point.error}; it must be finite.`)
    if (i > 0 && sorted[i - 1].bits === point.bits)
      throw new RangeError(`The sweep lists b = ${point.bits} twice.`)
  }
  const violations: MonotonicityViolation[] = []
  for (let i = 1; i < sorted.length; i += 1) {
    const from = sorted[i - 1]
    const to = sorted[i]
    if (to.error > from.error)
      violations.push({
        fromBits: from.bits,
        toBits: to.bits,
        fromError: from.error,
        toError: to.error,
        increase: to.error - from.error,
      })
  }
  return { isMonotonic: violations.length === 0, violations }
}
