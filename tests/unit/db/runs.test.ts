import { connectionOf } from '../../../db/handle.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Preprocessing } from '../../../electron/api/contract/index.ts'
import type { DbHandle } from '../../../db/handle.ts'
import { upsertCheckpoint } from '../../../db/queries/checkpoints.ts'
import { appendMetrics } from '../../../db/queries/metrics.ts'
import {
  deleteRun,
  findRunByFolder,
  getRun,
  insertRun,
  listRuns,
  updateRun,
  upsertRunByFolder,
} from '../../../db/queries/runs.ts'
import { createTempWorkspace, fakeSummary, runUpsert, sha256Of } from './temp-workspace.ts'
import type { TempWorkspace } from './temp-workspace.ts'

const preprocessing: Preprocessing = {
  resize: 36,
  centerCrop: 32,
  pad: 0,
  grayToRgb: false,
  mean: [0.49, 0.48, 0.45],
  std: [0.25, 0.24, 0.26],
  inputSize: [32, 32],
}

let temp: TempWorkspace
let db: DbHandle
beforeEach(async () => {
  temp = await createTempWorkspace()
  db = temp.workspace.db
})
afterEach(() => temp.dispose())

describe('runs', () => {
  it('names a new run after its folder when run.json gives no name', () => {
    const run = upsertRunByFolder(db, runUpsert('/runs/resnet-a'))
    expect(run).toMatchObject({ name: 'resnet-a', folder: '/runs/resnet-a', tags: [], notes: '' })
    expect(run).toMatchObject({
      classes: null,
      preprocessing: null,
      checkpointCount: 0,
      lastEpoch: null,
    })
    expect(run.importedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  it('keeps stored fields on re-import when run.json leaves them out, and updates given ones', () => {
    const first = upsertRunByFolder(
      db,
      runUpsert('/runs/a', {
        name: 'baseline',
        tags: ['sgd'],
        preprocessing,
        classes: ['cat', 'dog'],
      }),
    )
    const second = upsertRunByFolder(db, runUpsert('/runs/a', { notes: 'lr 0.1' }))
    expect(second.id).toBe(first.id)
    expect(second).toMatchObject({
      name: 'baseline',
      tags: ['sgd'],
      notes: 'lr 0.1',
      preprocessing,
    })
    expect(second.classes).toEqual(['cat', 'dog'])
    expect(listRuns(db)).toHaveLength(1)
  })

  it('refuses a second run with the same folder through insertRun', () => {
    insertRun(db, { folder: '/runs/a', name: 'a' })
    expect(() => insertRun(db, { folder: '/runs/a', name: 'again' })).toThrow(/UNIQUE/)
  })

  it('finds runs by folder and by id, and returns null for unknown ones', () => {
    const run = insertRun(db, { folder: '/runs/a', name: 'a', tags: ['x'] })
    expect(findRunByFolder(db, '/runs/a')).toEqual(run)
    expect(getRun(db, run.id)).toEqual(run)
    expect(findRunByFolder(db, '/runs/nope')).toBeNull()
    expect(getRun(db, 999)).toBeNull()
  })

  it('lists the most recently updated run first', () => {
    insertRun(db, { folder: '/runs/a', name: 'a' })
    insertRun(db, { folder: '/runs/b', name: 'b' })
    expect(listRuns(db).map((run) => run.name)).toEqual(['b', 'a'])
  })

  it('updates only the fields the user edited', () => {
    const run = insertRun(db, { folder: '/runs/a', name: 'a', tags: ['x'], notes: 'old' })
    const updated = updateRun(db, run.id, { notes: 'new' })
    expect(updated).toMatchObject({ name: 'a', tags: ['x'], notes: 'new' })
    expect(updateRun(db, 999, { notes: 'nobody' })).toBeNull()
  })

  it('reports the last epoch from checkpoints, or from metrics while there is no checkpoint', () => {
    const run = insertRun(db, { folder: '/runs/a', name: 'a' })
    appendMetrics(db, run.id, [{ epoch: 7, step: null, split: 'train', name: 'loss', value: 1 }])
    expect(getRun(db, run.id)?.lastEpoch).toBe(7)
    upsertCheckpoint(db, {
      runId: run.id,
      path: '/runs/a/epoch_3.onnx',
      epoch: 3,
      step: null,
      variant: '',
      sizeBytes: 10,
      mtimeMs: 1,
      summary: fakeSummary(sha256Of('a')),
    })
    expect(getRun(db, run.id)).toMatchObject({ lastEpoch: 3, checkpointCount: 1 })
  })

  it('deletes a run together with its checkpoints and metrics', () => {
    const run = insertRun(db, { folder: '/runs/a', name: 'a' })
    appendMetrics(db, run.id, [{ epoch: 0, step: null, split: null, name: 'loss', value: 1 }])
    upsertCheckpoint(db, {
      runId: run.id,
      path: '/runs/a/epoch_0.onnx',
      epoch: 0,
      step: null,
      variant: '',
      sizeBytes: 10,
      mtimeMs: 1,
      summary: fakeSummary(sha256Of('b')),
    })
    expect(deleteRun(db, run.id)).toBe(true)
    expect(deleteRun(db, run.id)).toBe(false)
    const count = (table: string): unknown =>
      connectionOf(db).prepare(`SELECT count(*) FROM ${table}`).pluck().get()
    expect([count('runs'), count('checkpoints'), count('metrics')]).toEqual([0, 0, 0])
  })
})
