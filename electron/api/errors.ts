import { toDbError } from '../../db/errors.ts'
import { ERROR_CODES } from './contract/index.ts'
import type { ErrorCode, IpcError } from './contract/index.ts'

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES)

/** A bad request from a host (wrong argument), as opposed to bad user data. */
export class RequestError extends Error {
  override readonly name = 'RequestError'
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

function systemErrorCode(error: NodeJS.ErrnoException): ErrorCode | null {
  if (error.code === 'ENOSPC' || error.code === 'EDQUOT') return 'DISK_FULL'
  if (error.code === 'ENOENT') return 'NOT_FOUND'
  return null
}

/** Errors cross host boundaries as data: a code the UI can act on and one sentence. */
export function toIpcError(thrown: unknown): IpcError {
  // SQLite errors raised outside db/'s transactions still get the workspace's sentences.
  const error = toDbError(thrown, 'the workspace database')
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && KNOWN_CODES.has(code)) {
      return { code: code as ErrorCode, message: error.message }
    }
    const systemCode = systemErrorCode(error)
    if (systemCode === 'DISK_FULL') {
      return {
        code: systemCode,
        message: `The disk is full (${error.message}): free some space and try again.`,
      }
    }
    if (systemCode) return { code: systemCode, message: error.message }
    return { code: 'INTERNAL', message: error.message }
  }
  return { code: 'INTERNAL', message: String(error) }
}
