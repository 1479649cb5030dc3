import type { ErrorCode } from '../electron/api/contract/index.ts'

export type DbErrorCode = Extract<
  ErrorCode,
  | 'DB_FROM_FUTURE'
  | 'DB_CORRUPT'
  | 'DB_LOCKED'
  | 'DB_READ_ONLY'
  | 'DB_IO_ERROR'
  | 'DISK_FULL'
  | 'NOT_FOUND'
  | 'INVALID_ARGUMENT'
>

/** A problem with a workspace; `message` is one sentence naming the file and the fix. */
export class DbError extends Error {
  override readonly name = 'DbError'
  readonly code: DbErrorCode

  constructor(code: DbErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT'])
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED'])
const NO_SPACE_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT'])
const READ_ONLY_CODES = new Set(['SQLITE_READONLY', 'EROFS', 'EACCES', 'EPERM'])
// SQLite cannot create or open the database, its -wal or its -shm file.
const CANNOT_OPEN_CODES = new Set(['SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_AUTH'])
const IO_CODES = new Set(['SQLITE_IOERR', 'EIO'])

function primaryCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null
  const { code } = error
  if (typeof code !== 'string') return null
  // Extended SQLite codes ('SQLITE_READONLY_DBMOVED') share the primary code's meaning.
  const match = /^SQLITE_[A-Z]+/.exec(code)
  return match ? match[0] : code
}

/**
 * Turns a SQLite or file-system error about `file` into a DbError the user can act on; any other
 * error is returned unchanged, so callers can always `throw toDbError(error, file)`.
 */
export function toDbError(error: unknown, file: string): unknown {
  if (error instanceof DbError) return error
  const code = primaryCode(error)
  if (code === null) return error
  const options = { cause: error }
  if (CORRUPT_CODES.has(code)) {
    return new DbError(
      'DB_CORRUPT',
      `'${file}' is not a ResNet Workbench workspace database or is damaged: restore it from a backup, or open another workspace.`,
      options,
    )
  }
  if (BUSY_CODES.has(code)) {
    return new DbError(
      'DB_LOCKED',
      `Workspace '${file}' stayed locked by another ResNet Workbench process (app or CLI): try again when its job has finished.`,
      options,
    )
  }
  if (NO_SPACE_CODES.has(code)) {
    return new DbError(
      'DISK_FULL',
      `The disk holding '${file}' is full, so nothing was written: free some space and try again.`,
      options,
    )
  }
  if (READ_ONLY_CODES.has(code)) {
    return new DbError(
      'DB_READ_ONLY',
      `'${file}' is read-only, so nothing was written: open a workspace on a writable disk, or fix its permissions.`,
      options,
    )
  }
  if (CANNOT_OPEN_CODES.has(code)) {
    return new DbError(
      'DB_READ_ONLY',
      `'${file}' (or its -wal and -shm files beside it) cannot be opened for writing: the folder may be read-only, locked against changes or on a disk that is gone; open a workspace on a writable disk, or fix the folder's permissions.`,
      options,
    )
  }
  if (IO_CODES.has(code)) {
    return new DbError(
      'DB_IO_ERROR',
      `Reading or writing '${file}' failed with a disk error (${code}): the disk may be full, failing or disconnected; check it, then open the workspace again.`,
      options,
    )
  }
  return error
}

/** Another process (or connection) held the workspace's write lock for longer than the busy timeout. */
export function isBusyError(error: unknown): boolean {
  if (error instanceof DbError) return error.code === 'DB_LOCKED'
  return BUSY_CODES.has(primaryCode(error) ?? '')
}
