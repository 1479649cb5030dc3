import type { ErrorCode } from '../../electron/api/contract/index.ts'

export type RunFolderErrorCode = Extract<
  ErrorCode,
  | 'NOT_FOUND'
  | 'RUN_FOLDER_EMPTY'
  | 'RUN_FOLDER_UNREADABLE'
  | 'METRICS_MALFORMED'
  | 'RUN_JSON_MALFORMED'
>

/** A problem with a run folder; `message` is one sentence naming the file and the fix. */
export class RunFolderError extends Error {
  override readonly name = 'RunFolderError'
  readonly code: RunFolderErrorCode

  constructor(code: RunFolderErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}
