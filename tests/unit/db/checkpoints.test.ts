import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../../db/handle.ts'
import {
  checkpointSummary,
  deleteCheckpoint,
  findCheckpointByPath,
  getCheckpoint,
  listCheckpoints,
  storedCheckpointFiles,
  upsertCheckpoint,
} from '../../../db/queries/checkpoints.ts'
import type { CheckpointInput } from '../../../db/queries/checkpoints.ts'
import { insertRun } from '../../../db/queries/runs.ts'
import { createTempWorkspace, fakeSummary, sha256Of } from './temp-workspace.ts'
import type { TempWorkspace } from './temp-workspace.ts'

let temp: TempWorkspace
let db: DbHandle
beforeEach(async () => {
  temp = await createTempWorkspace()
  db = temp.workspace.db
})
afterEach(() => temp.dispose())

function checkpoint(
  runId: number | null,
  epoch: number,
  variant = '',
  sha = sha256Of(`${epoch}`),
): CheckpointInput {
  const suffix = variant === '' ? '' : `.${variant}`
  return {
    runId,
    path: `/runs/a/epoch_${epoch}${suffix}.onnx`,
    epoch,
    step: null,
    variant,
    sizeBytes: 100 + epoch,
    mtimeMs: 1_700_000_000_000 + epoch,
    summary: fakeSummary(sha, { batchNorm: { count: 53, isFolded: variant === '' } }),
  }
}

describe('checkpoints', () => {
  it('takes sha256, params, MACs, opset and BN folding from the summary', () => {
    const run = insertRun(db, { folder: '/runs/a', name: 'a' })
    const { checkpoint: stored, change } = upsertCheckpoint(db, checkpoint(run.id, 2, 'bn'))
    expect(change).toBe('added')
    expect(stored).toMatchObject({
      runId: run.id,
      epoch: 2,
      step: null,
      variant: 'bn',
      sha256: sha256Of('2'),
      sizeBytes: 102,
      isBnFolded: false,
      params: 23_520_842,
      macs: 1_300_000_000,
      opset: 17,
    })
    expect(checkpointSummary(db, stored.id)).toEqual(checkpoint(run.id, 2, 'bn').summary)
  })

  it('tells an unchanged file from one whose content changed under the same path', () => {
    const run = insertRun(db, { folder: '/runs/a', name: 'a' })
    const first = upsertCheckpoint(db, checkpoint(run.id, 1))
    const touched = upsertCheckpoint(db, { ...checkpoint(run.id, 1), mtimeMs: 5 })
    const rewritten = upsertCheckpoint(db, checkpoint(run.id, 1, '', sha256Of('f')))
    expect(touched.change).toBe('unchanged')
    expect(rewritten.change).toBe('replaced')
    expect(rewritten.checkpoint.id).toBe(first.checkpoint.id)
    expect(listCheckpoints(db, run.id)).toHaveLength(1)
  })

  it('lists a run by numeric epoch, the plain export before its variants', () => {
    const run = insertRun(db, { folder: '/runs/a', name: 'a' })
    for (const [epoch, variant] of [
      [10, ''],
      [9, 'bn'],
      [2, ''],
      [9, ''],
    ] as const) {
      upsertCheckpoint(db, checkpoint(run.id, epoch, variant))
    }
    const listed = listCheckpoints(db, run.id).map((c) => `${c.epoch}${c.variant}`)
    expect(listed).toEqual(['2', '9', '9bn', '10'])
  })

  it('keeps checkpoints opened on their own apart from runs', () => {
    const run = insertRun(db, { folder: '/runs/a', name: 'a' })
    upsertCheckpoint(db, checkpoint(run.id, 1))
    const loose = upsertCheckpoint(db, {
      ...checkpoint(null, 5),
      path: '/models/best.onnx',
      epoch: null,
    })
    expect(listCheckpoints(db, null)).toEqual([loose.checkpoint])
    expect(findCheckpointByPath(db, '/models/best.onnx')?.runId).toBeNull()
  })

  it('lists the stored files of a run folder with sha256, size and mtime for re-import', () => {
    const run = insertRun(db, { folder: '/runs/a', name: 'a' })
    upsertCheckpoint(db, checkpoint(run.id, 1))
    const stored = storedCheckpointFiles(db, '/runs/a')
    expect([...stored.values()]).toEqual([
      {
        path: '/runs/a/epoch_1.onnx',
        sha256: sha256Of('1'),
        sizeBytes: 101,
        mtimeMs: 1_700_000_000_001,
      },
    ])
    expect(storedCheckpointFiles(db, '/runs/other').size).toBe(0)
  })

  it('refuses a summary whose sha256 is not 64 hex digits long', () => {
    const bad = { ...checkpoint(null, 1), summary: fakeSummary('abc') }
    expect(() => upsertCheckpoint(db, bad)).toThrow(/CHECK constraint/)
  })

  it('deletes a checkpoint and returns null for it afterwards', () => {
    const { checkpoint: stored } = upsertCheckpoint(db, checkpoint(null, 1))
    expect(deleteCheckpoint(db, stored.id)).toBe(true)
    expect(getCheckpoint(db, stored.id)).toBeNull()
    expect(checkpointSummary(db, stored.id)).toBeNull()
  })
})
