import type { Database } from 'better-sqlite3'
import type { DbHandle } from '../handle.ts'
import type { ErrorCode } from '../../electron/api/contract/index.ts'
import { parseJsonColumn } from '../json.ts'
import { preparedPerConnection } from '../statements.ts'
import { SQL_NOW } from '../timestamps.ts'

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

export interface JobRecord {
  id: number
  kind: string
  status: JobStatus
  params: unknown
  stage: string | null
  progress: { done: number; total: number }
  error: { code: ErrorCode; message: string } | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

export interface JobProgressUpdate {
  stage: string | null
  done: number
  total: number
}

export type JobOutcomeUpdate =
  | { status: 'done' }
  | { status: 'cancelled' }
  | { status: 'failed'; code: ErrorCode; message: string }

interface JobRow {
  id: number
  kind: string
  status: JobStatus
  params: string
  stage: string | null
  progressDone: number
  progressTotal: number
  errorCode: ErrorCode | null
  errorMessage: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

const SELECT_JOB = `
  SELECT id, kind, status, params, stage, progress_done AS progressDone,
    progress_total AS progressTotal, error_code AS errorCode, error_message AS errorMessage,
    created_at AS createdAt, started_at AS startedAt, finished_at AS finishedAt
  FROM jobs`

// Each transition names the states it may start from, so a late message cannot revive a job.
const statements = preparedPerConnection((db: Database) => ({
  insert: db.prepare<[string, string], { id: number }>(
    'INSERT INTO jobs (kind, params) VALUES (?, ?) RETURNING id',
  ),
  byId: db.prepare<[number], JobRow>(`${SELECT_JOB} WHERE id = ?`),
  all: db.prepare<[number], JobRow>(`${SELECT_JOB} ORDER BY id DESC LIMIT ?`),
  withStatus: db.prepare<[string, number], JobRow>(
    `${SELECT_JOB} WHERE status = ? ORDER BY id DESC LIMIT ?`,
  ),
  start: db.prepare<[number]>(
    `UPDATE jobs SET status = 'running', started_at = ${SQL_NOW} WHERE id = ? AND status = 'queued'`,
  ),
  progress: db.prepare<[string | null, number, number, number]>(`
    UPDATE jobs SET stage = ?, progress_done = ?, progress_total = ?
    WHERE id = ? AND status = 'running'`),
  finish: db.prepare<[string, string | null, string | null, number]>(`
    UPDATE jobs SET status = ?, error_code = ?, error_message = ?, finished_at = ${SQL_NOW}
    WHERE id = ? AND status IN ('queued', 'running')`),
  oldestActiveStart: db
    .prepare<[], string | null>(
      `SELECT min(coalesce(started_at, created_at)) FROM jobs WHERE status IN ('queued', 'running')`,
    )
    .pluck(),
}))

function toJobRecord(row: JobRow): JobRecord {
  const { progressDone, progressTotal, errorCode, errorMessage, params, ...rest } = row
  return {
    ...rest,
    params: parseJsonColumn<unknown>(params),
    progress: { done: progressDone, total: progressTotal },
    error: errorCode === null ? null : { code: errorCode, message: errorMessage ?? '' },
  }
}

/** Records a queued job. */
export function insertJob(db: DbHandle, kind: string, params: unknown): JobRecord {
  const { id } = statements(db).insert.get(kind, JSON.stringify(params ?? {}))!
  return getJob(db, id)!
}

export function getJob(db: DbHandle, id: number): JobRecord | null {
  const row = statements(db).byId.get(id)
  return row === undefined ? null : toJobRecord(row)
}

/** The newest jobs first, optionally only those with one status. */
export function listJobs(
  db: DbHandle,
  filter: { status?: JobStatus; limit?: number } = {},
): JobRecord[] {
  const s = statements(db)
  const limit = filter.limit ?? 100
  const rows = filter.status ? s.withStatus.all(filter.status, limit) : s.all.all(limit)
  return rows.map(toJobRecord)
}

/** queued → running; false when the job was not queued. */
export function markJobRunning(db: DbHandle, id: number): boolean {
  return statements(db).start.run(id).changes > 0
}

/** Records progress of a running job; false when it is not running (any more). */
export function updateJobProgress(db: DbHandle, id: number, update: JobProgressUpdate): boolean {
  return statements(db).progress.run(update.stage, update.done, update.total, id).changes > 0
}

/** queued/running → done, failed or cancelled; false when the job had already finished. */
export function finishJob(db: DbHandle, id: number, outcome: JobOutcomeUpdate): boolean {
  const failed = outcome.status === 'failed' ? outcome : null
  const result = statements(db).finish.run(
    outcome.status,
    failed?.code ?? null,
    failed?.message ?? null,
    id,
  )
  return result.changes > 0
}

/** When the oldest queued or running job started (or was queued); null when none is active. */
export function oldestActiveJobStart(db: DbHandle): string | null {
  return statements(db).oldestActiveStart.get() ?? null
}
