import { connectionOf } from '../../../db/handle.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../../db/handle.ts'
import { deleteCheckpoint, upsertCheckpoint } from '../../../db/queries/checkpoints.ts'
import { upsertDataset } from '../../../db/queries/datasets.ts'
import { insertJob } from '../../../db/queries/jobs.ts'
import {
  deleteResult,
  findResultByRequestHash,
  getResult,
  listResultsOfCheckpoint,
  referencedBlobs,
  saveResult,
} from '../../../db/queries/results.ts'
import type { ResultInput } from '../../../db/queries/results.ts'
import { createTempWorkspace, fakeSummary, sha256Of } from './temp-workspace.ts'
import type { TempWorkspace } from './temp-workspace.ts'

let temp: TempWorkspace
let db: DbHandle
let checkpointId: number
beforeEach(async () => {
  temp = await createTempWorkspace()
  db = temp.workspace.db
  checkpointId = upsertCheckpoint(db, {
    runId: null,
    path: '/models/a.onnx',
    epoch: null,
    step: null,
    variant: '',
    sizeBytes: 1,
    mtimeMs: 1,
    summary: fakeSummary(sha256Of('a')),
  }).checkpoint.id
})
afterEach(() => temp.dispose())

function result(requestHash: string, overrides: Partial<ResultInput> = {}): ResultInput {
  return {
    jobId: null,
    kind: 'cka',
    checkpointId,
    datasetId: null,
    requestHash,
    provenance: { modelSha256: sha256Of('a'), provider: 'cpu' },
    payload: {
      matrix: [
        [1, 0.5],
        [0.5, 1],
      ],
    },
    blobs: [{ role: 'gram', sha256: sha256Of('1') }],
    ...overrides,
  }
}

describe('results', () => {
  it('finds a stored result, with its blob references, by request hash', () => {
    const saved = saveResult(db, result('hash-1'))
    expect(findResultByRequestHash(db, 'hash-1')).toEqual(saved)
    expect(saved).toMatchObject({
      kind: 'cka',
      payload: {
        matrix: [
          [1, 0.5],
          [0.5, 1],
        ],
      },
    })
    expect(saved.blobs).toEqual([{ role: 'gram', sha256: sha256Of('1') }])
    expect(findResultByRequestHash(db, 'hash-2')).toBeNull()
  })

  it('replaces an older result of the same request and its blob references', () => {
    saveResult(db, result('hash-1'))
    const newer = saveResult(
      db,
      result('hash-1', { blobs: [{ role: 'features', sha256: sha256Of('2') }] }),
    )
    expect(listResultsOfCheckpoint(db, checkpointId)).toEqual([newer])
    expect(referencedBlobs(db)).toEqual(new Set([sha256Of('2')]))
  })

  it('deletes the results of a deleted checkpoint, so their blobs become garbage', () => {
    saveResult(db, result('hash-1'))
    deleteCheckpoint(db, checkpointId)
    expect(findResultByRequestHash(db, 'hash-1')).toBeNull()
    expect(referencedBlobs(db).size).toBe(0)
  })

  it('keeps a result when the job that made it is deleted', () => {
    const job = insertJob(db, 'cka', {})
    const saved = saveResult(db, result('hash-1', { jobId: job.id }))
    connectionOf(db).prepare('DELETE FROM jobs WHERE id = ?').run(job.id)
    expect(getResult(db, saved.id)?.jobId).toBeNull()
  })

  it('links results to datasets and refuses a dataset id that does not exist', () => {
    const dataset = upsertDataset(db, {
      name: 'cifar10-test',
      kind: 'imagefolder',
      path: '/data/cifar10/test',
      fingerprint: 'f1',
      classes: ['airplane'],
      meta: {},
    })
    expect(saveResult(db, result('hash-1', { datasetId: dataset.id })).datasetId).toBe(dataset.id)
    expect(() => saveResult(db, result('hash-2', { datasetId: 999 }))).toThrow(/FOREIGN KEY/)
    expect(findResultByRequestHash(db, 'hash-2')).toBeNull()
  })

  it('deletes a result and its blob references', () => {
    const saved = saveResult(db, result('hash-1'))
    expect(deleteResult(db, saved.id)).toBe(true)
    expect(referencedBlobs(db).size).toBe(0)
  })
})
