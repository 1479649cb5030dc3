import type { ErrorCode } from '../../electron/api/contract/index.ts'

export type DatasetErrorCode = Extract<
  ErrorCode,
  | 'NOT_FOUND'
  | 'DATASET_EMPTY'
  | 'DATASET_MALFORMED'
  | 'IMAGE_UNREADABLE'
  | 'SHAPE_MISMATCH'
  | 'INVALID_ARGUMENT'
>

/** A problem with a dataset or one of its images; `message` is one sentence naming the file and the fix. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError'
  readonly code: DatasetErrorCode

  constructor(code: DatasetErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** The first line of a library's message, without its trailing period, for quoting in ours. */
export function reason(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause)
  return (text.split('\n')[0] ?? '').trim().replace(/\.$/, '')
}
