import type { ErrorCode } from '../../electron/api/contract/index.ts'

export type SurgeryErrorCode = Extract<ErrorCode, 'INVALID_ARGUMENT'>

/** A request to surgery (or the synthesizer) that cannot be carried out as asked. */
export class SurgeryError extends Error {
  override readonly name = 'SurgeryError'
  readonly code: SurgeryErrorCode

  constructor(code: SurgeryErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
