import { connectionOf, handleOf } from '../../../db/handle.ts'
import Database from 'better-sqlite3'
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeWorkspace, openWorkspace } from '../../../db/connection.ts'
import type { Workspace } from '../../../db/connection.ts'
import { insertRun, listRuns } from '../../../db/queries/runs.ts'
import { appendMetrics } from '../../../db/queries/metrics.ts'
import { expectError, thrownBy } from '../../unit/db/error-assertions.ts'
import { makeTempFolder } from '../../unit/db/temp-workspace.ts'

let folder: string
const opened: Workspace[] = []
function open(options: { create?: boolean; busyTimeoutMs?: number } = {}): Workspace {
  const workspace = openWorkspace(folder, options)
  opened.push(workspace)
  return workspace
}
beforeEach(async () => {
  folder = join(await makeTempFolder(), 'workspace')
})
afterEach(async () => {
  for (const workspace of opened.splice(0)) closeWorkspace(workspace)
  await rm(join(folder, '..'), { recursive: true, force: true })
})

describe('a workspace connection', () => {
  it('uses WAL, enforces foreign keys and waits for locks', () => {
    const { db } = open({ create: true })
    expect(connectionOf(db).pragma('journal_mode', { simple: true })).toBe('wal')
    expect(connectionOf(db).pragma('foreign_keys', { simple: true })).toBe(1)
    expect(connectionOf(db).pragma('busy_timeout', { simple: true })).toBe(5000)
  })

  it('sees what a second connection (the CLI beside the app) wrote', () => {
    const app = open({ create: true })
    const cli = open()
    insertRun(cli.db, { folder: '/runs/a', name: 'from the CLI' })
    expect(listRuns(app.db).map((run) => run.name)).toEqual(['from the CLI'])
    insertRun(app.db, { folder: '/runs/b', name: 'from the app' })
    expect(listRuns(cli.db)).toHaveLength(2)
  })

  it('keeps reading while another connection holds the write lock', () => {
    const app = open({ create: true })
    const cli = open()
    insertRun(app.db, { folder: '/runs/a', name: 'a' })
    connectionOf(cli.db).exec('BEGIN IMMEDIATE')
    insertRun(cli.db, { folder: '/runs/b', name: 'uncommitted' })
    expect(listRuns(app.db).map((run) => run.name)).toEqual(['a'])
    connectionOf(cli.db).exec('COMMIT')
    expect(listRuns(app.db)).toHaveLength(2)
  })

  it('reports DB_LOCKED when another connection keeps the write lock past the timeout', () => {
    const app = open({ create: true, busyTimeoutMs: 50 })
    const cli = open()
    const runId = insertRun(app.db, { folder: '/runs/a', name: 'a' }).id
    connectionOf(cli.db).exec('BEGIN IMMEDIATE')
    const row = { epoch: 0, step: null, split: null, name: 'loss', value: 1 }
    expect(() => appendMetrics(app.db, runId, [row])).toThrow(
      expect.objectContaining({ code: 'DB_LOCKED' }),
    )
    connectionOf(cli.db).exec('ROLLBACK')
    expect(appendMetrics(app.db, runId, [row])).toBe(1)
  })

  it('reports a write through a read-only connection as DB_READ_ONLY, writing nothing', () => {
    const workspace = open({ create: true })
    const readOnly = new Database(workspace.file, { readonly: true })
    try {
      const row = { epoch: 0, step: null, split: null, name: 'loss', value: 1 }
      expectError(
        thrownBy(() => appendMetrics(handleOf(readOnly), 1, [row])),
        'DB_READ_ONLY',
        'read-only',
      )
    } finally {
      readOnly.close()
    }
  })

  it('leaves the SQLite file of another program untouched, journal and folder alike', () => {
    mkdirSync(folder, { recursive: true })
    const file = join(folder, 'workspace.sqlite')
    const foreign = new Database(file)
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)')
    foreign.close()
    const before = readFileSync(file)
    expectError(
      thrownBy(() => open()),
      'INVALID_ARGUMENT',
      'SQLite database of another program (tables invoices)',
    )
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(readdirSync(folder)).toEqual(['workspace.sqlite'])
  })

  it('refuses a folder whose workspace.sqlite is a folder, creating nothing in it', () => {
    mkdirSync(join(folder, 'workspace.sqlite'), { recursive: true })
    expectError(
      thrownBy(() => open({ create: true })),
      'INVALID_ARGUMENT',
      'is not a file',
    )
    expect(readdirSync(folder)).toEqual(['workspace.sqlite'])
  })

  it('reports a folder where the database cannot be created as DB_READ_ONLY', () => {
    mkdirSync(folder, { recursive: true })
    // A dangling symlink: SQLite cannot create the file it points at (works as root, too).
    symlinkSync('/nonexistent-folder/workspace.sqlite', join(folder, 'workspace.sqlite'))
    expectError(
      thrownBy(() => open({ create: true })),
      'DB_READ_ONLY',
      'cannot be opened for writing',
    )
  })
})
