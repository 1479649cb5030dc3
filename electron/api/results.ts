import type { DbHandle } from '../../db/index.ts'
import {
  getJob,
  getResult,
  listResultSummaries,
  resultsWithoutHeadline,
  setResultHeadlines,
} from '../../db/index.ts'
import { isJobKind, moduleOfKind } from './analyses/index.ts'
import type {
  JobKind,
  JobRequest,
  Provenance,
  ResultFilter,
  ResultSummary,
} from './contract/index.ts'
import { RequestError } from './errors.ts'

export function resultSummaries(db: DbHandle, filter: ResultFilter): ResultSummary[] {
  return listResultSummaries(db, filter).map((record) => ({
    ...record,
    kind: record.kind as JobKind,
    provenance: record.provenance as unknown as Provenance,
  }))
}

function isJobRequest(value: unknown): value is JobRequest {
  return isJobKind((value as { kind?: unknown } | null)?.kind)
}

/** Stores the headline of every result saved before headlines were stored (schema v2). */
export function backfillHeadlines(db: DbHandle): void {
  const headlines = resultsWithoutHeadline(db).flatMap(({ id, kind, payload }) =>
    isJobKind(kind) ? [{ id, headline: moduleOfKind(kind).headline(payload as never) }] : [],
  )
  setResultHeadlines(db, headlines)
}

/** The request that produced a stored result: its job's, else rebuilt from the provenance. */
export function requestOfResult(db: DbHandle, resultId: number): JobRequest {
  const result = getResult(db, resultId)
  if (!result)
    throw new RequestError('NOT_IN_WORKSPACE', `No result ${resultId} in this workspace.`)
  const params = result.jobId === null ? null : getJob(db, result.jobId)?.params
  if (isJobRequest(params)) return params
  const provenance = result.provenance as unknown as Provenance
  return {
    ...(provenance.parameters as object),
    kind: result.kind as JobKind,
    checkpointId: result.checkpointId,
    modelPath: result.checkpointId === null ? provenance.modelFile : null,
    ...(provenance.dataset === null
      ? {}
      : { dataset: provenance.dataset, preprocessing: provenance.preprocessing, batchSize: null }),
    provider: provenance.providers.requested,
  } as JobRequest
}
