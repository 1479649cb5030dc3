import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../../db/handle.ts'
import {
  finishJob,
  getJob,
  insertJob,
  listJobs,
  markJobRunning,
  oldestActiveJobStart,
  updateJobProgress,
} from '../../../db/queries/jobs.ts'
import { createTempWorkspace } from './temp-workspace.ts'
import type { TempWorkspace } from './temp-workspace.ts'

let temp: TempWorkspace
let db: DbHandle
beforeEach(async () => {
  temp = await createTempWorkspace()
  db = temp.workspace.db
})
afterEach(() => temp.dispose())

describe('jobs', () => {
  it('records a queued job with its params', () => {
    const job = insertJob(db, 'cka', { checkpoints: [1, 2], batch: 32 })
    expect(job).toMatchObject({
      kind: 'cka',
      status: 'queued',
      params: { checkpoints: [1, 2], batch: 32 },
      stage: null,
      progress: { done: 0, total: 0 },
      error: null,
      startedAt: null,
      finishedAt: null,
    })
  })

  it('goes from queued to running to done, recording progress on the way', () => {
    const { id } = insertJob(db, 'cka', {})
    expect(markJobRunning(db, id)).toBe(true)
    expect(updateJobProgress(db, id, { stage: 'inference', done: 3, total: 10 })).toBe(true)
    expect(getJob(db, id)).toMatchObject({
      status: 'running',
      stage: 'inference',
      progress: { done: 3, total: 10 },
    })
    expect(finishJob(db, id, { status: 'done' })).toBe(true)
    expect(getJob(db, id)?.finishedAt).not.toBeNull()
  })

  it('keeps the error code and message of a failed job', () => {
    const { id } = insertJob(db, 'probe', {})
    finishJob(db, id, { status: 'failed', code: 'SHAPE_MISMATCH', message: 'Input is NHWC.' })
    expect(getJob(db, id)?.error).toEqual({ code: 'SHAPE_MISMATCH', message: 'Input is NHWC.' })
  })

  it('ignores progress and outcomes that arrive after a job has finished', () => {
    const { id } = insertJob(db, 'cka', {})
    markJobRunning(db, id)
    finishJob(db, id, { status: 'cancelled' })
    expect(updateJobProgress(db, id, { stage: 'late', done: 9, total: 10 })).toBe(false)
    expect(finishJob(db, id, { status: 'done' })).toBe(false)
    expect(markJobRunning(db, id)).toBe(false)
    expect(getJob(db, id)?.status).toBe('cancelled')
  })

  it('lists the newest jobs first and filters by status', () => {
    const first = insertJob(db, 'a', {})
    insertJob(db, 'b', {})
    markJobRunning(db, first.id)
    expect(listJobs(db).map((job) => job.kind)).toEqual(['b', 'a'])
    expect(listJobs(db, { status: 'running' }).map((job) => job.kind)).toEqual(['a'])
  })

  it('knows when the oldest unfinished job started, and null when all have finished', () => {
    expect(oldestActiveJobStart(db)).toBeNull()
    const { id } = insertJob(db, 'a', {})
    expect(oldestActiveJobStart(db)).toBe(getJob(db, id)?.createdAt)
    finishJob(db, id, { status: 'done' })
    expect(oldestActiveJobStart(db)).toBeNull()
  })
})
