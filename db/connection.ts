import Database from 'better-sqlite3'
import type { Database as Connection } from 'better-sqlite3'
import { isBusyError } from './errors.ts'
import { connectionOf, handleOf } from './handle.ts'
import type { DbHandle } from './handle.ts'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DbError, toDbError } from './errors.ts'
import {
  assertIsWorkspace,
  assertNotFromFuture,
  LATEST_SCHEMA_VERSION,
  migrate,
} from './migrate.ts'

export type { Connection }

export const DATABASE_FILE_NAME = 'workspace.sqlite'
export const BLOBS_FOLDER_NAME = 'blobs'
export const BUSY_TIMEOUT_MS = 5000

export interface Workspace {
  /** Absolute path of the workspace folder. */
  readonly folder: string
  /** `<folder>/workspace.sqlite` */
  readonly file: string
  /** `<folder>/blobs` */
  readonly blobsFolder: string
  readonly db: DbHandle
}

export interface OpenWorkspaceOptions {
  /** Create the folder and an empty workspace when they do not exist yet. */
  create?: boolean
  /** How long to wait for another process's write lock before DB_LOCKED (default 5 s). */
  busyTimeoutMs?: number
}

function prepareFolder(folder: string, file: string, create: boolean): void {
  if (existsSync(folder) && !statSync(folder).isDirectory()) {
    throw new DbError(
      'INVALID_ARGUMENT',
      `'${folder}' is a file, not a workspace folder: choose a folder.`,
    )
  }
  if (existsSync(file) && !statSync(file).isFile()) {
    throw new DbError(
      'INVALID_ARGUMENT',
      `'${file}' is not a file, so '${folder}' is not a workspace: choose another folder.`,
    )
  }
  if (!create && !existsSync(file)) {
    throw new DbError(
      'NOT_FOUND',
      `'${folder}' holds no ResNet Workbench workspace (no ${DATABASE_FILE_NAME}): choose another folder, or create a workspace there.`,
    )
  }
  mkdirSync(folder, { recursive: true })
}

function configure(db: Connection, folder: string): void {
  db.pragma('foreign_keys = ON')
  // Checked before switching to WAL, which rewrites the file header of a newer workspace.
  assertNotFromFuture(db, folder, LATEST_SCHEMA_VERSION)
  assertIsWorkspace(db, db.name)
  db.pragma('journal_mode = WAL')
  // Safe with WAL: a power cut may lose the last transaction, never half of one.
  db.pragma('synchronous = NORMAL')
  migrate(db, folder)
  mkdirSync(join(folder, BLOBS_FOLDER_NAME), { recursive: true })
}

/**
 * Opens (or with `create`, creates) the workspace in `folder`: WAL, foreign keys, busy timeout,
 * schema migrated. Throws DbError: NOT_FOUND, INVALID_ARGUMENT, DB_FROM_FUTURE, DB_CORRUPT,
 * DB_LOCKED or DISK_FULL.
 */
export function openWorkspace(folder: string, options: OpenWorkspaceOptions = {}): Workspace {
  const absolute = resolve(folder)
  const file = join(absolute, DATABASE_FILE_NAME)
  let db: Connection | undefined
  try {
    prepareFolder(absolute, file, options.create ?? false)
    db = new Database(file, { timeout: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS })
    configure(db, absolute)
  } catch (error) {
    db?.close()
    throw toDbError(error, file)
  }
  return {
    folder: absolute,
    file,
    blobsFolder: join(absolute, BLOBS_FOLDER_NAME),
    db: handleOf(db),
  }
}

export function closeWorkspace(workspace: Workspace): void {
  const db = connectionOf(workspace.db)
  if (!db.open) return
  try {
    db.pragma('busy_timeout = 0')
    db.pragma('optimize')
  } catch (error) {
    // Only a hint for the query planner: skipped while another process holds the write lock.
    if (!isBusyError(error)) throw error
  }
  db.close()
}
