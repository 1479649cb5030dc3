import type { ErrorCode } from '../../../../electron/api/contract/index.ts'

/**
 * An evaluation that cannot go on: a batch size that is not a positive integer, or outputs that
 * cannot be scored (not one row per image, NaN or ±Infinity). The contract has no code of its own
 * for bad outputs yet, so they travel as INVALID_ARGUMENT.
 */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError'
  readonly code: ErrorCode = 'INVALID_ARGUMENT'
}
