import type { Database } from 'better-sqlite3'

declare const opaque: unique symbol

/**
 * An open workspace database as code outside db/ holds it: it can be handed back to db/'s
 * queries but runs no SQL itself, so all SQL stays in db/.
 */
export interface DbHandle {
  readonly [opaque]: 'DbHandle'
}

/** db/ only: the connection behind a handle. */
export function connectionOf(handle: DbHandle): Database {
  return handle as unknown as Database
}

export function handleOf(db: Database): DbHandle {
  return db as unknown as DbHandle
}

/** False once the workspace was closed (a job finishing after its host closed it). */
export function isDbOpen(handle: DbHandle): boolean {
  return connectionOf(handle).open
}
