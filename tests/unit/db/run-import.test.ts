import { connectionOf } from '../../../db/handle.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../../db/handle.ts'
import { DbError } from '../../../db/errors.ts'
import { listCheckpoints } from '../../../db/queries/checkpoints.ts'
import type { CheckpointInput } from '../../../db/queries/checkpoints.ts'
import { getRunDetail } from '../../../db/queries/run-detail.ts'
import { lastEpochOf, writeMetricBatch } from '../../../db/queries/metrics.ts'
import type { MetricRowInput } from '../../../db/queries/metrics.ts'
import { listRuns } from '../../../db/queries/runs.ts'
import { abandonRunImport, beginRunImport, saveRunImport } from '../../../db/queries/run-import.ts'
import type { RunImportInput, SavedRunImport } from '../../../db/queries/run-import.ts'
import { expectError } from './error-assertions.ts'
import { createTempWorkspace, fakeSummary, runUpsert, sha256Of } from './temp-workspace.ts'
import type { TempWorkspace } from './temp-workspace.ts'

let temp: TempWorkspace
let db: DbHandle
beforeEach(async () => {
  temp = await createTempWorkspace()
  db = temp.workspace.db
})
afterEach(() => temp.dispose())

const FOLDER = '/runs/resnet-a'

function file(epoch: number, sha = sha256Of(`${epoch}`)): Omit<CheckpointInput, 'runId'> {
  return {
    path: `${FOLDER}/epoch_${epoch}.onnx`,
    epoch,
    step: null,
    variant: '',
    sizeBytes: 1000,
    mtimeMs: 1_700_000_000_000,
    summary: fakeSummary(sha),
  }
}

type ImportInput = Omit<RunImportInput, 'lastLoggedEpoch'> & { metrics: MetricRowInput[] }

function importOf(epochs: number[], lossRows = epochs.length): ImportInput {
  return {
    run: runUpsert(FOLDER, { tags: ['baseline'] }),
    metrics: Array.from({ length: lossRows }, (_, epoch) => ({
      epoch,
      step: null,
      split: 'train',
      name: 'loss',
      value: 1 / (epoch + 1),
    })),
    checkpoints: epochs.map((epoch) => file(epoch)),
  }
}

/** An import as the service makes it: begin, metric batches, save; abandoned on failure. */
async function saveImport(input: ImportInput, batchRows = 2): Promise<SavedRunImport> {
  const importing = beginRunImport(db, input.run)
  try {
    for (let i = 0; i < input.metrics.length; i += batchRows) {
      const batch = input.metrics.slice(i, i + batchRows)
      writeMetricBatch(db, importing.runId, importing.generation, batch)
    }
    return await saveRunImport(db, importing, {
      ...input,
      lastLoggedEpoch: lastEpochOf(input.metrics),
    })
  } catch (error) {
    await abandonRunImport(db, importing)
    throw error
  }
}

function tableCounts(): number[] {
  return ['runs', 'checkpoints', 'metrics'].map((table) =>
    connectionOf(db).prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!,
  )
}

describe('saveRunImport', () => {
  it('stores the run, its metrics and its checkpoints on the first import', async () => {
    const saved = await saveImport(importOf([1, 2]))
    expect(saved.run).toMatchObject({ name: 'resnet-a', checkpointCount: 2, lastEpoch: 2 })
    expect(saved.added.map((c) => c.epoch)).toEqual([1, 2])
    expect(saved.unchanged).toBe(0)
    const detail = getRunDetail(db, saved.run.id)!
    expect(detail.checkpoints).toHaveLength(2)
    expect(detail.metrics[0].points).toHaveLength(2)
  })

  it('adds only the new epochs when training has written more since the last import', async () => {
    await saveImport(importOf([1, 2]))
    const again = await saveImport({ ...importOf([3], 3), checkpoints: [file(2), file(3)] })
    expect(again.added.map((c) => c.epoch)).toEqual([3])
    expect(again.unchanged).toBe(2)
    expect(again.run.checkpointCount).toBe(3)
    expect(getRunDetail(db, again.run.id)!.metrics[0].points).toHaveLength(3)
    expect(tableCounts()[2]).toBe(3)
  })

  it('counts a rewritten checkpoint file as added', async () => {
    await saveImport(importOf([1]))
    const again = await saveImport({ ...importOf([]), checkpoints: [file(1, sha256Of('e'))] })
    expect(again.added.map((c) => c.sha256)).toEqual([sha256Of('e')])
    expect(listCheckpoints(db, again.run.id)).toHaveLength(1)
  })

  it('writes nothing at all when one checkpoint of the import is refused', async () => {
    const broken = { ...importOf([1, 2]), checkpoints: [file(1), file(2, 'not-a-sha')] }
    await expect(saveImport(broken)).rejects.toThrow(/CHECK constraint/)
    expect(tableCounts()).toEqual([0, 0, 0])
  })

  it('keeps the previous import intact when a re-import fails', async () => {
    await saveImport(importOf([1]))
    const broken = { ...importOf([1, 2], 5), checkpoints: [file(2, 'bad')] }
    await expect(saveImport(broken)).rejects.toThrow()
    expect(tableCounts()).toEqual([1, 1, 1])
  })

  it('reports a full disk as DISK_FULL and leaves no partial rows', async () => {
    const pages = Number(connectionOf(db).pragma('page_count', { simple: true }))
    connectionOf(db).pragma(`max_page_count = ${pages + 2}`)
    const error = await saveImport(importOf([1], 5000), 500).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DbError)
    expectError(error, 'DISK_FULL', 'is full')
    expect(tableCounts()).toEqual([0, 0, 0])
  })

  it('shows the previous metrics, and no half-imported run, until an import is saved', async () => {
    const first = await saveImport(importOf([1], 2))
    const again = beginRunImport(db, importOf([1]).run)
    writeMetricBatch(db, again.runId, again.generation, importOf([], 7).metrics)
    const other = beginRunImport(db, runUpsert('/runs/resnet-b'))
    writeMetricBatch(db, other.runId, other.generation, importOf([], 3).metrics)
    expect(getRunDetail(db, first.run.id)!.metrics[0].points).toHaveLength(2)
    expect(listRuns(db).map((run) => run.folder)).toEqual([FOLDER])
    await abandonRunImport(db, again)
    await abandonRunImport(db, other)
    expect(tableCounts()).toEqual([1, 1, 2])
  })

  it('removes the rows a saved import replaced, even those of an import killed before', async () => {
    await saveImport(importOf([1], 4))
    const killed = beginRunImport(db, importOf([1]).run)
    writeMetricBatch(db, killed.runId, killed.generation, importOf([], 6).metrics)
    await saveImport(importOf([1], 3))
    expect(tableCounts()).toEqual([1, 1, 3])
  })
})
