// Shards of a corruption sweep and of a weight-noise grid computed into separate workspaces (as
// cluster jobs do), merged into one: the merged answer equals the unsharded one, merging again
// adds nothing, and workspaces whose provenance disagrees are refused with the target untouched.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  CorruptionSweep,
  ResultInfo,
  RunDetail,
  WeightNoiseResult,
} from '../../../electron/api/contract/index.ts'
import type { MergeReport } from '../../../electron/api/merge/merge-workspaces.ts'
import type { ShardReport } from '../../../electron/cli/shard-run.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'shard-merge-'))
const model = join(temp, 'small.onnx')
const CLI = join(import.meta.dirname, '../../../bin/resnet-workbench.js')
const UNITS = 2 * 2 + 1 // corruptions × severities, and the clean cell
const ws = (name: string) => join(temp, name)

const data = [
  '--data',
  FMNIST_64_FOLDER,
  '--split',
  't10k',
  '--limit',
  '32',
  '--batch',
  '16',
  '--preprocessing',
  JSON.stringify(FMNIST_PREPROCESSING),
]
const sweep = ['corrupt', model, ...data, '--corruptions', 'gaussian_noise,contrast']
const sweepArgs = [...sweep, '--severities', '1,2']
const noiseArgs = ['weight-noise', model, ...data, '--sigmas', '0,0.1', '--samples', '2']

function cli(workspace: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, '--workspace', workspace, '--json', ...args], {
    encoding: 'utf8',
  })
}

function json<T>(workspace: string, ...args: string[]): T {
  const run = cli(workspace, ...args)
  expect(run.status, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as T
}

function rows(workspace: string): Record<string, number> {
  const db = new Database(join(workspace, 'workspace.sqlite'), { readonly: true })
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
    const tables = ['results', 'result_blobs', 'checkpoints', 'runs', 'datasets', 'jobs']
    return Object.fromEntries(tables.map((t) => [t, count(t)]))
  } finally {
    db.close()
  }
}

/** The distinct blobs a workspace's results refer to. */
function blobShas(workspace: string): string[] {
  const db = new Database(join(workspace, 'workspace.sqlite'), { readonly: true })
  try {
    return db.prepare('SELECT DISTINCT blob_sha256 FROM result_blobs').pluck().all() as string[]
  } finally {
    db.close()
  }
}

/** The numbers of an answer without the row ids, which differ from workspace to workspace. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !/^id$|Ids?$/.test(key))
      .map(([key, v]) => [key, withoutIds(v)]),
  )
}

beforeAll(async () => {
  await writeSmallResNet(model, 5)
})

afterAll(() => rmSync(temp, { recursive: true, force: true }))

describe('a sharded corruption sweep', () => {
  // The three computations (the whole sweep and its two shards) run once, under the hook timeout.
  let whole: CorruptionSweep
  let first: ShardReport
  let second: ShardReport
  beforeAll(() => {
    whole = json<CorruptionSweep>(ws('whole'), ...sweepArgs)
    first = json<ShardReport>(ws('shard0'), ...sweepArgs, '--shard', '0/2')
    second = json<ShardReport>(ws('shard1'), ...sweepArgs, '--shard', '1/2')
  })

  it('reports each shard as partial, with its share of the cells', () => {
    expect(first).toEqual({
      shard: { index: 0, count: 2 },
      unit: 'sweep cells',
      totalUnits: UNITS,
      shardUnits: 3,
      storedUnits: 3,
      isComplete: false,
    })
    expect(second).toMatchObject({ shardUnits: 2, storedUnits: 2, isComplete: false })
    expect(rows(ws('shard0')).results + rows(ws('shard1')).results).toBe(UNITS)
  })

  it('gives, merged, the unsharded sweep without running a job', () => {
    const merge = json<MergeReport>(ws('merged'), 'merge', ws('shard0'), ws('shard1'))
    expect(merge.sources.map((s) => s.workspace)).toEqual([ws('shard0'), ws('shard1')])
    expect(merge.sources.map((s) => s.results)).toEqual([
      { added: 3, alreadyPresent: 0 },
      { added: 2, alreadyPresent: 0 },
    ])
    expect(merge.sources.map((s) => s.checkpoints)).toEqual([
      { added: 1, alreadyPresent: 0 },
      { added: 0, alreadyPresent: 1 },
    ])
    expect(merge.sources[1].datasets).toEqual({ added: 0, alreadyPresent: 1 })
    // Each evaluation's per-image blob came along, as a file under the merged workspace.
    const shas = blobShas(ws('merged'))
    expect(merge.sources[0].blobs).toEqual({
      added: blobShas(ws('shard0')).length,
      alreadyPresent: 0,
    })
    expect(shas.length).toBe(UNITS)
    for (const sha of shas)
      expect(existsSync(join(ws('merged'), 'blobs', sha.slice(0, 2), sha.slice(2)))).toBe(true)

    const merged = json<CorruptionSweep>(ws('merged'), ...sweepArgs)
    expect(withoutIds(merged)).toEqual(withoutIds(whole))
    expect(merged.checkpoints[0].cells).toHaveLength(UNITS - 1)
    // Every cell answered from the merged results: no job ran in the merged workspace.
    expect(rows(ws('merged')).jobs).toBe(0)
  })

  it('adds nothing when the same shard is merged again', () => {
    const before = rows(ws('merged'))
    const again = json<MergeReport>(ws('merged'), 'merge', ws('shard0'))
    expect(again.sources[0].results).toEqual({ added: 0, alreadyPresent: 3 })
    expect(again.sources[0].checkpoints).toEqual({ added: 0, alreadyPresent: 0 })
    expect(again.sources[0].blobs).toEqual({ added: 0, alreadyPresent: 0 })
    expect(rows(ws('merged'))).toEqual(before)
    expect(before.results).toBe(UNITS)
  })

  it('prints the merge counts as a table without --json', () => {
    const run = spawnSync(
      process.execPath,
      [CLI, '--workspace', ws('merged'), 'merge', ws('shard1')],
      { encoding: 'utf8' },
    )
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/results\s+0\s+2/)
  })

  it('refuses a result of the same request with another dataset fingerprint, naming both workspaces', () => {
    cpSync(ws('shard1'), ws('tampered'), { recursive: true })
    const db = new Database(join(ws('tampered'), 'workspace.sqlite'))
    db.prepare(
      "UPDATE results SET provenance = json_set(provenance, '$.datasetFingerprint', 'f00d')",
    ).run()
    db.close()
    const before = rows(ws('merged'))
    const run = cli(ws('merged'), 'merge', ws('tampered'))
    expect(run.status).toBe(1)
    const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string } }
    expect(error.code).toBe('MERGE_CONFLICT')
    expect(error.message).toContain(`Cannot merge '${ws('tampered')}'`)
    expect(error.message).toContain(`the one in '${ws('merged')}'`)
    expect(error.message).toContain(`the evaluate result of '${model}'`)
    expect(error.message).toContain('dataset fingerprint f00d vs')
    expect(error.message).toContain('Nothing was merged')
    expect(rows(ws('merged'))).toEqual(before)
  })

  it('refuses a workspace whose checkpoint file held another model, leaving the target unchanged', async () => {
    await writeSmallResNet(model, 6)
    json<ShardReport>(ws('changed'), ...sweepArgs, '--shard', '1/2')
    const before = rows(ws('merged'))
    const run = cli(ws('merged'), 'merge', ws('changed'))
    expect(run.status).toBe(1)
    const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string } }
    expect(error.code).toBe('MERGE_CONFLICT')
    expect(error.message).toContain(`checkpoint file '${model}'`)
    expect(error.message).toContain('the file changed between the runs')
    expect(error.message).toContain(ws('changed'))
    expect(rows(ws('merged'))).toEqual(before)
    await writeSmallResNet(model, 5)
  })

  it('refuses a workspace of a newer schema', () => {
    cpSync(ws('shard0'), ws('future'), { recursive: true })
    const db = new Database(join(ws('future'), 'workspace.sqlite'))
    db.pragma('user_version = 999')
    db.close()
    const run = cli(ws('merged'), 'merge', ws('future'))
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('DB_FROM_FUTURE')
    expect(run.stderr).toContain('Nothing was merged')
    expect(run.stderr).toContain('schema v999')
  })

  it('refuses a malformed shard with the accepted form', () => {
    const run = cli(ws('shard0'), ...sweepArgs, '--shard', '2/2')
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('Shard index 2 is not one of 0 to 1')
  })
})

describe('a sharded weight-noise grid', () => {
  let whole: ResultInfo<WeightNoiseResult>
  let first: ShardReport
  let second: ShardReport
  beforeAll(() => {
    whole = json<ResultInfo<WeightNoiseResult>>(ws('noise-whole'), ...noiseArgs)
    first = json<ShardReport>(ws('noise0'), ...noiseArgs, '--shard', '0/2')
    second = json<ShardReport>(ws('noise1'), ...noiseArgs, '--shard', '1/2')
  })

  it('gives, merged, the unsharded grid', () => {
    expect(first).toMatchObject({ totalUnits: 3, shardUnits: 2, storedUnits: 2 })
    expect(second).toMatchObject({ totalUnits: 3, shardUnits: 1, storedUnits: 1 })
    const merge = json<MergeReport>(ws('noise0'), 'merge', ws('noise1'))
    expect(merge.sources[0].results).toEqual({ added: 1, alreadyPresent: 0 })
    const jobsBefore = rows(ws('noise0')).jobs
    const joined = json<ResultInfo<WeightNoiseResult>>(ws('noise0'), ...noiseArgs)
    expect(joined.payload).toEqual(whole.payload)
    expect(joined.payload.samples).toHaveLength(3)
    expect(joined.isCached).toBe(true)
    expect(rows(ws('noise0')).jobs).toBe(jobsBefore)
  })
})

describe('merging a result of an imported run', () => {
  const grid = ['weight-noise', 'seed9@2', ...data, '--sigmas', '0']
  beforeAll(async () => {
    const runFolder = join(temp, 'seed9')
    mkdirSync(runFolder)
    const description = { name: 'seed9', preprocessing: FMNIST_PREPROCESSING }
    writeFileSync(join(runFolder, 'run.json'), JSON.stringify(description))
    const metrics = [1, 2].map((epoch) => ({ epoch, split: 'test', accuracy: epoch / 4 }))
    writeFileSync(
      join(runFolder, 'metrics.jsonl'),
      metrics.map((m) => JSON.stringify(m)).join('\n'),
    )
    await writeSmallResNet(join(runFolder, 'epoch_2.onnx'), 9)
    json(ws('run-src'), 'import', runFolder)
    json<ShardReport>(ws('run-src'), ...grid, '--shard', '0/1')
  })

  it('copies the run with its metrics, so the run resolves by name in the merged workspace', () => {
    const merge = json<MergeReport>(ws('run-merged'), 'merge', ws('run-src'))
    expect(merge.sources[0].runs).toEqual({ added: 1, alreadyPresent: 0 })
    const copied = json<RunDetail>(ws('run-merged'), 'runs', 'seed9')
    expect(withoutIds(copied)).toEqual(withoutIds(json<RunDetail>(ws('run-src'), 'runs', 'seed9')))
    expect(copied.metrics.length).toBeGreaterThan(0)
    const joined = json<ResultInfo<WeightNoiseResult>>(ws('run-merged'), ...grid)
    expect(joined.payload.samples).toHaveLength(1)
    expect(rows(ws('run-merged')).jobs).toBe(0)
  })
})
