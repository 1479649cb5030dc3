import type { ErrorCode } from '../../electron/api/contract.ts'

export type RuntimeErrorCode = Extract<
  ErrorCode,
  'INVALID_ARGUMENT' | 'EXTERNAL_DATA_MISSING' | 'UNSUPPORTED_DTYPE' | 'INTERNAL'
>

/** A session that cannot be created or run; `cause` keeps ORT's own message. */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError'
  readonly code: RuntimeErrorCode

  constructor(code: RuntimeErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}
