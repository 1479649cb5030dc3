import type { DbHandle } from '../../db/index.ts'
import { getJob, getResult, resultIdOfJob } from '../../db/index.ts'
import type { JobRecord, ResultRecord } from '../../db/index.ts'
import type { JobInfo, JobKind, Provenance, ResultInfo } from './contract/index.ts'

function rateOf(record: JobRecord, nowMs: number): number | null {
  if (record.startedAt === null || record.progress.done === 0) return null
  const elapsedS = (nowMs - Date.parse(record.startedAt)) / 1000
  return elapsedS > 0 ? record.progress.done / elapsedS : null
}

export function toJobInfo(db: DbHandle, record: JobRecord, nowMs = Date.now()): JobInfo {
  const rate = record.status === 'running' ? rateOf(record, nowMs) : null
  const left = record.progress.total - record.progress.done
  return {
    id: record.id,
    kind: record.kind as JobKind,
    status: record.status,
    stage: record.stage ?? '',
    done: record.progress.done,
    total: record.progress.total,
    rate,
    etaMs: rate ? Math.round((left / rate) * 1000) : null,
    error: record.error,
    resultId: resultIdOfJob(db, record.id),
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
  }
}

export function jobInfo(db: DbHandle, jobId: number): JobInfo | null {
  const record = getJob(db, jobId)
  return record ? toJobInfo(db, record) : null
}

export function toResultInfo(record: ResultRecord, isCached: boolean): ResultInfo {
  return {
    id: record.id,
    jobId: record.jobId,
    kind: record.kind as JobKind,
    checkpointId: record.checkpointId,
    datasetId: record.datasetId,
    requestHash: record.requestHash,
    provenance: record.provenance as unknown as Provenance,
    payload: record.payload,
    isCached,
  }
}

export function resultInfo(db: DbHandle, resultId: number): ResultInfo | null {
  const record = getResult(db, resultId)
  return record ? toResultInfo(record, false) : null
}
