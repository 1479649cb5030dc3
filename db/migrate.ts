import type { Database } from 'better-sqlite3'
import { handleOf } from './handle.ts'
import { DbError } from './errors.ts'
import type { Migration } from './migrations/migration.ts'
import { MIGRATIONS } from './migrations/index.ts'
import { writeTransaction } from './transaction.ts'

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Refuses, before anything is written, a workspace that a newer app has already migrated. */
export function assertNotFromFuture(db: Database, workspaceFolder: string, latest: number): void {
  const current = schemaVersion(db)
  if (current <= latest) return
  throw new DbError(
    'DB_FROM_FUTURE',
    `Workspace '${workspaceFolder}' was written by a newer ResNet Workbench (schema v${current}, this app knows v${latest}): update the app, or open another workspace.`,
  )
}

/**
 * Refuses, before anything is written, an SQLite file of another program put where the workspace
 * database belongs: migrating would add our tables to it and switch it to WAL.
 */
export function assertIsWorkspace(db: Database, file: string): void {
  if (schemaVersion(db) !== 0) return
  const tables = db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all()
  if (tables.length === 0) return
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '')
  throw new DbError(
    'INVALID_ARGUMENT',
    `'${file}' is the SQLite database of another program (tables ${shown}), not a ResNet Workbench workspace: it was left untouched; choose another folder.`,
  )
}

/**
 * Brings the schema to the latest version in one immediate transaction (all steps or none). An
 * up-to-date workspace takes no write lock, so opening it never waits for another process's import.
 */
export function migrate(
  db: Database,
  workspaceFolder: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const latest = migrations.at(-1)?.version ?? 0
  if (schemaVersion(db) === latest) return latest
  return writeTransaction(handleOf(db), () => {
    // Read again under the write lock: another process may have migrated while we waited for it.
    assertNotFromFuture(db, workspaceFolder, latest)
    const current = schemaVersion(db)
    for (const migration of migrations) if (migration.version > current) migration.up(db)
    if (latest !== current) db.pragma(`user_version = ${latest}`)
    return latest
  })
}
