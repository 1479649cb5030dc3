import type { Database } from 'better-sqlite3'
import type { DbHandle } from '../handle.ts'
import { parseJsonColumn } from '../json.ts'
import { preparedPerConnection } from '../statements.ts'

/** A stored result without its payload, plus the few numbers a list shows. */
export interface ResultSummaryRecord {
  id: number
  jobId: number | null
  kind: string
  checkpointId: number | null
  runId: number | null
  datasetId: number | null
  datasetName: string | null
  createdAt: string
  headline: Record<string, number>
  provenance: Record<string, unknown>
}

export interface ResultSummaryFilter {
  runId?: number
  checkpointId?: number
  kind?: string
}

interface SummaryRow extends Omit<ResultSummaryRecord, 'headline' | 'provenance'> {
  provenance: string
  headline: string
}

// Headline numbers are stored with each result, so a list never parses large payloads.
const SELECT_SUMMARY = `
  SELECT r.id, r.job_id AS jobId, r.kind, r.checkpoint_id AS checkpointId, c.run_id AS runId,
    r.dataset_id AS datasetId, d.name AS datasetName, r.created_at AS createdAt, r.provenance,
    COALESCE(r.headline, '{}') AS headline
  FROM results r
  LEFT JOIN checkpoints c ON c.id = r.checkpoint_id
  LEFT JOIN datasets d ON d.id = r.dataset_id
  WHERE (@runId IS NULL OR c.run_id = @runId)
    AND (@checkpointId IS NULL OR r.checkpoint_id = @checkpointId)
    AND (@kind IS NULL OR r.kind = @kind)
  ORDER BY r.id DESC`

const statements = preparedPerConnection((db: Database) => ({
  summaries: db.prepare<[Record<string, unknown>], SummaryRow>(SELECT_SUMMARY),
}))

function withoutNulls(headline: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(headline).filter((entry): entry is [string, number] => entry[1] !== null),
  )
}

/** Stored results matching the filter, newest first. */
export function listResultSummaries(
  db: DbHandle,
  filter: ResultSummaryFilter,
): ResultSummaryRecord[] {
  const rows = statements(db).summaries.all({
    runId: filter.runId ?? null,
    checkpointId: filter.checkpointId ?? null,
    kind: filter.kind ?? null,
  })
  return rows.map((row) => ({
    ...row,
    headline: withoutNulls(parseJsonColumn<Record<string, number | null>>(row.headline)),
    provenance: parseJsonColumn<Record<string, unknown>>(row.provenance),
  }))
}
