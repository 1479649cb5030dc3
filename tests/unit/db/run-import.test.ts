import { connectionOf } from '../../../db/handle.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../../db/handle.ts'
import { DbError } from '../../../db/errors.ts'
import { listCheckpoints } from '../../../db/queries/checkpoints.ts'
import type { CheckpointInput } from '../../../db/queries/checkpoints.ts'
import { getRunDetail } from '../../../db/queries/run-detail.ts'
import { saveRunImport } from '../../../db/queries/run-import.ts'
import type { RunImportInput } from '../../../db/queries/run-import.ts'
import { expectError, thrownBy } from './error-assertions.ts'
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

function importOf(epochs: number[], lossRows = epochs.length): RunImportInput {
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

function tableCounts(): number[] {
  return ['runs', 'checkpoints', 'metrics'].map((table) =>
    connectionOf(db).prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!,
  )
}

describe('saveRunImport', () => {
  it('stores the run, its metrics and its checkpoints on the first import', () => {
    const saved = saveRunImport(db, importOf([1, 2]))
    expect(saved.run).toMatchObject({ name: 'resnet-a', checkpointCount: 2, lastEpoch: 2 })
    expect(saved.added.map((c) => c.epoch)).toEqual([1, 2])
    expect(saved.unchanged).toBe(0)
    const detail = getRunDetail(db, saved.run.id)!
    expect(detail.checkpoints).toHaveLength(2)
    expect(detail.metrics[0].points).toHaveLength(2)
  })

  it('adds only the new epochs when training has written more since the last import', () => {
    saveRunImport(db, importOf([1, 2]))
    const again = saveRunImport(db, { ...importOf([3], 3), checkpoints: [file(2), file(3)] })
    expect(again.added.map((c) => c.epoch)).toEqual([3])
    expect(again.unchanged).toBe(2)
    expect(again.run.checkpointCount).toBe(3)
    expect(getRunDetail(db, again.run.id)!.metrics[0].points).toHaveLength(3)
  })

  it('counts a rewritten checkpoint file as added', () => {
    saveRunImport(db, importOf([1]))
    const again = saveRunImport(db, { ...importOf([]), checkpoints: [file(1, sha256Of('e'))] })
    expect(again.added.map((c) => c.sha256)).toEqual([sha256Of('e')])
    expect(listCheckpoints(db, again.run.id)).toHaveLength(1)
  })

  it('writes nothing at all when one checkpoint of the import is refused', () => {
    const broken = { ...importOf([1, 2]), checkpoints: [file(1), file(2, 'not-a-sha')] }
    expect(() => saveRunImport(db, broken)).toThrow(/CHECK constraint/)
    expect(tableCounts()).toEqual([0, 0, 0])
  })

  it('keeps the previous import intact when a re-import fails', () => {
    saveRunImport(db, importOf([1]))
    const broken = { ...importOf([1, 2], 5), checkpoints: [file(2, 'bad')] }
    expect(() => saveRunImport(db, broken)).toThrow()
    expect(tableCounts()).toEqual([1, 1, 1])
  })

  it('reports a full disk as DISK_FULL and leaves no partial rows', () => {
    connectionOf(db).pragma(
      'max_page_count = ' + String(connectionOf(db).pragma('page_count', { simple: true })),
    )
    const error = thrownBy(() => saveRunImport(db, importOf([1], 5000)))
    expect(error).toBeInstanceOf(DbError)
    expectError(error, 'DISK_FULL', 'is full')
    expect(tableCounts()).toEqual([0, 0, 0])
  })
})
