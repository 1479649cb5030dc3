import { seededPermutation } from './subsets.ts'

export interface ValidationSplit {
  /** 1 for a held-out row, 0 for a training-part row (n). */
  isValidation: Uint8Array
  /** The held-out rows, ascending. */
  validationRows: Int32Array
}

/**
 * Holds out the first floor(f·n) rows of `seededPermutation(n, seed)` (at least 1, at most n − 1)
 * to choose the ridge strength; the reported probes are refitted on every row.
 */
export function validationSplit(n: number, fraction: number, seed: number): ValidationSplit {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`Validation fraction must be in (0, 1), got ${fraction}.`)
  }
  if (n < 2) throw new RangeError(`A validation split needs at least 2 training rows, got ${n}.`)
  const count = Math.min(n - 1, Math.max(1, Math.floor(fraction * n)))
  const validationRows = seededPermutation(n, seed).slice(0, count).sort()
  const isValidation = new Uint8Array(n)
  for (const row of validationRows) isValidation[row] = 1
  return { isValidation, validationRows }
}
