// A corruption sweep killed half-way (SIGKILL) and started again: every cell is a stored
// evaluation, so the second run computes only the cells the first did not finish, and the
// workspace ends with exactly one result per cell.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CorruptionSweep } from '../../../electron/api/contract/index.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'sweep-resume-'))
const workspace = join(temp, 'ws')
const model = join(temp, 'small.onnx')
const CLI = join(import.meta.dirname, '../../../bin/resnet-workbench.js')
const CELLS = 3 * 2 // corruptions × severities
const EVALUATIONS = CELLS + 1 // and the clean one

const args = [
  '--workspace',
  workspace,
  'corrupt',
  model,
  '--data',
  FMNIST_64_FOLDER,
  '--split',
  't10k',
  '--preprocessing',
  JSON.stringify(FMNIST_PREPROCESSING),
  '--corruptions',
  'gaussian_noise,contrast,pixelate',
  '--severities',
  '1,2',
]

beforeAll(async () => {
  await writeSmallResNet(model, 5)
})

afterAll(() => rmSync(temp, { recursive: true, force: true }))

/** Rows of a table, read straight from the workspace file (another process owns the service). */
function count(sql: string): number {
  let db: InstanceType<typeof Database> | null = null
  try {
    db = new Database(join(workspace, 'workspace.sqlite'), { readonly: true, timeout: 4000 })
    return (db.prepare(sql).get() as { n: number }).n
  } catch {
    return 0 // not created yet, or its tables not yet
  } finally {
    db?.close()
  }
}

const storedEvaluations = () => count("SELECT COUNT(*) AS n FROM results WHERE kind = 'evaluate'")
const jobRows = () => count('SELECT COUNT(*) AS n FROM jobs')

describe('a corruption sweep', () => {
  it('resumes after kill -9 without recomputing or duplicating a finished cell', async () => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    while (storedEvaluations() < 3) {
      if (child.exitCode !== null) throw new Error('The sweep finished before it could be killed.')
      await new Promise((resume) => setTimeout(resume, 50))
    }
    child.kill('SIGKILL')
    await exited
    const finished = storedEvaluations()
    expect(finished).toBeGreaterThanOrEqual(3)
    expect(finished).toBeLessThan(EVALUATIONS)
    const jobsBefore = jobRows()

    const again = spawnSync(process.execPath, [CLI, '--json', ...args], { encoding: 'utf8' })
    expect(again.status, again.stderr).toBe(0)
    const sweep = JSON.parse(again.stdout) as CorruptionSweep
    expect(sweep.checkpoints[0].cells).toHaveLength(CELLS)
    expect(sweep.numImages).toBe(64)
    // The cell counter: the second run recorded a job for each unfinished evaluation only.
    expect(jobRows() - jobsBefore).toBe(EVALUATIONS - finished)
    expect(storedEvaluations()).toBe(EVALUATIONS)
    const ids = [
      sweep.checkpoints[0].clean.resultId,
      ...sweep.checkpoints[0].cells.map((c) => c.resultId),
    ]
    expect(new Set(ids).size).toBe(EVALUATIONS)
  })
})
