// A metrics.jsonl of a million values imported by the CLI while this process keeps taking the
// write lock: the import writes in short transactions, so no wait comes near the busy timeout,
// and a killed import leaves the workspace as it was.
import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeWorkspace, openWorkspace } from '../../../db/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'

const temp = mkdtempSync(join(tmpdir(), 'large-import-'))
const workspace = join(temp, 'ws')
const runFolder = join(temp, 'big-run')
const LINES = 40_000
const VALUES_PER_LINE = 25
const CLI = join(import.meta.dirname, '../../../bin/resnet-workbench.js')

async function writeBigMetrics(file: string): Promise<void> {
  const out = createWriteStream(file)
  for (let i = 0; i < LINES; i++) {
    const gradNorms = Object.fromEntries(
      Array.from({ length: VALUES_PER_LINE - 2 }, (_, k) => [`layer${k}.weight`, (i % 97) / 97]),
    )
    const line = { epoch: Math.floor(i / 400), step: i, train_loss: 1 / (i + 1), lr: 0.1 }
    if (!out.write(`${JSON.stringify({ ...line, grad_norms: gradNorms })}\n`)) {
      await new Promise<void>((resume) => out.once('drain', () => resume()))
    }
  }
  await new Promise<void>((done) => out.end(() => done()))
}

function startImport(): { exit: Promise<number | null>; kill: () => void } {
  const child = spawn(process.execPath, [CLI, '--workspace', workspace, 'import', runFolder], {
    stdio: 'ignore',
  })
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { exit, kill: () => child.kill('SIGKILL') }
}

/** Takes the write lock every 20 ms until `done` settles; returns the longest wait for it. */
async function longestLockWait(done: Promise<unknown>): Promise<number> {
  const db = new Database(join(workspace, 'workspace.sqlite'), { timeout: 4000 })
  db.pragma('synchronous = NORMAL')
  db.exec('CREATE TABLE IF NOT EXISTS lock_probe (at REAL)')
  let isDone = false
  void done.finally(() => (isDone = true))
  let longest = 0
  while (!isDone) {
    const before = performance.now()
    db.exec('BEGIN IMMEDIATE')
    longest = Math.max(longest, performance.now() - before)
    db.prepare('INSERT INTO lock_probe VALUES (?)').run(before)
    db.exec('COMMIT')
    await new Promise((resume) => setTimeout(resume, 20))
  }
  db.close()
  return longest
}

function storedValues(): number {
  const db = new Database(join(workspace, 'workspace.sqlite'), { readonly: true })
  try {
    return db.prepare<[], number>('SELECT count(*) FROM metrics').pluck().get()!
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  mkdirSync(runFolder)
  await writeBigMetrics(join(runFolder, 'metrics.jsonl'))
  closeWorkspace(openWorkspace(workspace, { create: true }))
}, 60_000)

afterAll(() => rmSync(temp, { recursive: true, force: true }))

describe('importing a metrics.jsonl of a million values', () => {
  it('never keeps another writer waiting near the busy timeout', async () => {
    const { exit } = startImport()
    const longest = await longestLockWait(exit)
    expect(await exit).toBe(0)
    // Typically 0.2 s; 1.4 s was seen on a 2-core machine at load 8. The old single transaction
    // held the lock ~7 s, beyond the 4 s busy timeout that makes other writers fail.
    expect(longest).toBeLessThan(2000)
    const service = new WorkbenchService(workspace)
    try {
      const [run] = service.listRuns()
      expect(run).toMatchObject({ name: 'big-run', lastEpoch: LINES / 400 - 1 })
      const loss = service.getRun(run.id).metrics.find((s) => s.name === 'train_loss')
      expect(loss?.points).toHaveLength(LINES)
    } finally {
      service.close()
    }
    expect(storedValues()).toBe(LINES * VALUES_PER_LINE)
  }, 120_000)

  it('leaves the stored values as they were when a re-import is killed half-way', async () => {
    const before = storedValues()
    const { exit, kill } = startImport()
    while (storedValues() < before + 100_000) await new Promise((r) => setTimeout(r, 50))
    kill()
    await exit
    const service = new WorkbenchService(workspace)
    try {
      const [run] = service.listRuns()
      const loss = service.getRun(run.id).metrics.find((s) => s.name === 'train_loss')
      expect(loss?.points).toHaveLength(LINES)
    } finally {
      service.close()
    }
    expect(storedValues()).toBeGreaterThan(before)
    const { exit: again } = startImport()
    expect(await again).toBe(0)
    expect(storedValues()).toBe(before)
  }, 120_000)
})
