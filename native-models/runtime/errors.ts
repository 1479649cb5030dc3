import type { ErrorCode } from '../../electron/api/contract/index.ts'

export type RuntimeErrorCode = Extract<
  ErrorCode,
  | 'INVALID_ARGUMENT'
  | 'EXTERNAL_DATA_MISSING'
  | 'UNSUPPORTED_DTYPE'
  | 'PROVIDER_UNAVAILABLE'
  | 'INTERNAL'
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

/** ORT's first line, without its trailing period, short enough to quote inside a sentence. */
export function ortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const firstLine = message.split('\n')[0]?.trim() ?? ''
  const short = firstLine.length > 160 ? `${firstLine.slice(0, 157)}...` : firstLine
  return short.replace(/\.$/, '')
}
