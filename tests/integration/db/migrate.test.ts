import { connectionOf } from '../../../db/handle.ts'
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeWorkspace, openWorkspace } from '../../../db/connection.ts'
import type { Workspace } from '../../../db/connection.ts'
import { DbError } from '../../../db/errors.ts'
import { LATEST_SCHEMA_VERSION, migrate } from '../../../db/migrate.ts'
import { MIGRATIONS } from '../../../db/migrations/index.ts'
import { insertRun, listRuns } from '../../../db/queries/runs.ts'
import { expectError, thrownBy } from '../../unit/db/error-assertions.ts'
import { makeTempFolder } from '../../unit/db/temp-workspace.ts'

const TABLES = ['checkpoints', 'datasets', 'jobs', 'metrics', 'result_blobs', 'results', 'runs']

let folder: string
const opened: Workspace[] = []
function open(create = false): Workspace {
  const workspace = openWorkspace(folder, { create })
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

async function sha256OfFile(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex')
}

describe('migrations', () => {
  it('are numbered 1..n in files named NNNN-<name>.ts', () => {
    const files = readdirSync(join(import.meta.dirname, '../../../db/migrations'))
      .filter((name) => /^\d{4}-/.test(name))
      .sort()
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, index) => index + 1))
    expect(files).toEqual(
      MIGRATIONS.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}.ts`),
    )
  })

  it('create every table as STRICT in an empty folder and set user_version', () => {
    const { db } = open(true)
    const tables = connectionOf(db).pragma('table_list') as {
      name: string
      strict: number
      schema: string
    }[]
    const ours = tables.filter((t) => t.schema === 'main' && !t.name.startsWith('sqlite_'))
    expect(ours.map((t) => t.name).sort()).toEqual(TABLES)
    expect(ours.every((t) => t.strict === 1)).toBe(true)
    expect(connectionOf(db).pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
  })

  it('leave an up-to-date workspace and its data as they are on re-open', () => {
    const first = open(true)
    insertRun(first.db, { folder: '/runs/a', name: 'a' })
    closeWorkspace(first)
    const again = open()
    expect(connectionOf(again.db).pragma('user_version', { simple: true })).toBe(
      LATEST_SCHEMA_VERSION,
    )
    expect(listRuns(again.db).map((run) => run.name)).toEqual(['a'])
    expect(migrate(connectionOf(again.db), folder)).toBe(LATEST_SCHEMA_VERSION)
  })

  it('roll back every step when one step fails', () => {
    const { db } = open(true)
    const failing = [
      ...MIGRATIONS,
      {
        version: LATEST_SCHEMA_VERSION + 1,
        name: 'adds',
        up: () => void connectionOf(db).exec('CREATE TABLE extra (x INTEGER) STRICT'),
      },
      {
        version: LATEST_SCHEMA_VERSION + 2,
        name: 'breaks',
        up: () => void connectionOf(db).exec('ALTER TABLE missing ADD y INTEGER'),
      },
    ]
    expect(() => migrate(connectionOf(db), folder, failing)).toThrow(/no such table: missing/)
    expect(connectionOf(db).pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
    expect(
      connectionOf(db)
        .prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'extra'")
        .pluck()
        .get(),
    ).toBe(0)
  })
})

describe('openWorkspace refuses', () => {
  it('a workspace from a newer app, without touching its file', async () => {
    const workspace = open(true)
    connectionOf(workspace.db).pragma(`user_version = ${LATEST_SCHEMA_VERSION + 4}`)
    closeWorkspace(workspace)
    const before = await sha256OfFile(workspace.file)
    const error = thrownBy(() => open())
    expect(error).toBeInstanceOf(DbError)
    expect(error).toMatchObject({
      code: 'DB_FROM_FUTURE',
      message: `Workspace '${folder}' was written by a newer ResNet Workbench (schema v${LATEST_SCHEMA_VERSION + 4}, this app knows v${LATEST_SCHEMA_VERSION}): update the app, or open another workspace.`,
    })
    expect(await sha256OfFile(workspace.file)).toBe(before)
  })

  it('a file that is not SQLite, naming the file', async () => {
    open(true)
    closeWorkspace(opened.pop()!)
    const file = join(folder, 'workspace.sqlite')
    await rm(`${file}-wal`, { force: true })
    await rm(`${file}-shm`, { force: true })
    await writeFile(file, 'these are not the bytes of a database\n'.repeat(200))
    expectError(
      thrownBy(() => open()),
      'DB_CORRUPT',
      `'${file}' is not a ResNet Workbench workspace database`,
    )
  })

  it('a damaged SQLite file as DB_CORRUPT', async () => {
    const workspace = open(true)
    connectionOf(workspace.db).pragma('journal_mode = DELETE')
    closeWorkspace(opened.pop()!)
    const bytes = await readFile(workspace.file)
    bytes.fill(0xff, 100, 4096) // page 1 after the header: the schema table
    await writeFile(workspace.file, bytes)
    expect(thrownBy(() => open())).toMatchObject({ code: 'DB_CORRUPT' })
  })

  it('a folder without a workspace unless asked to create one', () => {
    expectError(
      thrownBy(() => open()),
      'NOT_FOUND',
      'no workspace.sqlite',
    )
    expect(connectionOf(open(true).db).open).toBe(true)
  })

  it('a path that is a file, not a folder', async () => {
    await writeFile(join(folder, '..', 'plain.txt'), 'x')
    const error = thrownBy(() => openWorkspace(join(folder, '..', 'plain.txt'), { create: true }))
    expectError(error, 'INVALID_ARGUMENT', 'is a file')
  })
})
