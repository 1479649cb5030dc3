import type { Database } from 'better-sqlite3'
import type { DbHandle } from '../handle.ts'
import { preparedPerConnection } from '../statements.ts'
import { SQL_NOW } from '../timestamps.ts'
import { writeTransaction } from '../transaction.ts'
import { insertJob } from './jobs.ts'

const statements = preparedPerConnection((db: Database) => ({
  claim: db.prepare<[number, string | null, number]>(
    'UPDATE jobs SET owner_pid = ?, request_hash = ? WHERE id = ?',
  ),
  requestCancel: db.prepare<[number]>(
    `UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status IN ('queued', 'running')`,
  ),
  isCancelRequested: db
    .prepare<[number], number>('SELECT cancel_requested FROM jobs WHERE id = ?')
    .pluck(),
  activeOwners: db.prepare<[], { id: number; ownerPid: number | null }>(
    `SELECT id, owner_pid AS ownerPid FROM jobs WHERE status IN ('queued', 'running')`,
  ),
  failOrphan: db.prepare<[string, string, number]>(`
    UPDATE jobs SET status = 'failed', error_code = ?, error_message = ?, finished_at = ${SQL_NOW}
    WHERE id = ? AND status IN ('queued', 'running')`),
  resultOfJob: db
    .prepare<[number], number>('SELECT id FROM results WHERE job_id = ? ORDER BY id DESC LIMIT 1')
    .pluck(),
  activeWithHash: db
    .prepare<[string], number>(
      `SELECT id FROM jobs WHERE request_hash = ? AND status IN ('queued', 'running') ORDER BY id LIMIT 1`,
    )
    .pluck(),
}))

/** Marks which process runs a job and what request it answers. */
export function claimJob(
  db: DbHandle,
  id: number,
  ownerPid: number,
  requestHash: string | null,
): void {
  statements(db).claim.run(ownerPid, requestHash, id)
}

/** Asks the owning process to cancel; false when the job is not active. */
export function requestJobCancel(db: DbHandle, id: number): boolean {
  return statements(db).requestCancel.run(id).changes > 0
}

export function isJobCancelRequested(db: DbHandle, id: number): boolean {
  return statements(db).isCancelRequested.get(id) === 1
}

/** An active job computing the same request, so a second identical request can wait for it. */
export function activeJobWithRequestHash(db: DbHandle, requestHash: string): number | null {
  return statements(db).activeWithHash.get(requestHash) ?? null
}

/**
 * Fails the queued or running jobs whose owner process no longer exists (a killed app or CLI):
 * their results were never saved. Returns the ids failed.
 */
export function failOrphanedJobs(db: DbHandle, isAlive: (pid: number) => boolean): number[] {
  const s = statements(db)
  const orphans = s.activeOwners.all().filter((j) => j.ownerPid === null || !isAlive(j.ownerPid))
  for (const job of orphans) {
    const message = `Job ${job.id} stopped when the process running it ended; its result was not saved. Start it again.`
    s.failOrphan.run('ENGINE_CRASHED', message, job.id)
  }
  return orphans.map((j) => j.id)
}

/** The result a finished job stored, or null. */
export function resultIdOfJob(db: DbHandle, jobId: number): number | null {
  return statements(db).resultOfJob.get(jobId) ?? null
}

/**
 * Records a job owned by this process, unless (with `joinActive`) a job of any process already
 * computes the same request: then that job's id. One transaction, so of two processes asking at
 * the same moment exactly one gets the new job.
 */
export function claimNewJob(
  db: DbHandle,
  job: { kind: string; params: unknown; ownerPid: number; requestHash: string },
  joinActive: boolean,
): { jobId: number; isNew: boolean } {
  return writeTransaction(db, () => {
    const active = joinActive ? activeJobWithRequestHash(db, job.requestHash) : null
    if (active !== null) return { jobId: active, isNew: false }
    const record = insertJob(db, job.kind, job.params)
    claimJob(db, record.id, job.ownerPid, job.requestHash)
    return { jobId: record.id, isNew: true }
  })
}
