import type { Database } from 'better-sqlite3'
import type { DbHandle } from '../handle.ts'
import { parseJsonColumn } from '../json.ts'
import { preparedPerConnection } from '../statements.ts'
import { writeTransaction } from '../transaction.ts'

/** A blob a result refers to, e.g. { role: 'gram', sha256 } for a stored Gram cache. */
export interface ResultBlobRef {
  role: string
  sha256: string
}

export interface ResultInput {
  jobId: number | null
  kind: string
  checkpointId: number | null
  datasetId: number | null
  /** Hash of the canonical request: the cache key, unique per workspace. */
  requestHash: string
  provenance: Record<string, unknown>
  payload: unknown
  blobs: ResultBlobRef[]
  /** The headline numbers lists show; null: computed later (see resultsWithoutHeadline). */
  headline?: Record<string, number> | null
}

export interface ResultRecord extends ResultInput {
  id: number
  createdAt: string
}

/** A results row as stored: JSON columns as text. */
export interface ResultRow {
  id: number
  jobId: number | null
  kind: string
  checkpointId: number | null
  datasetId: number | null
  requestHash: string
  provenance: string
  payload: string
  createdAt: string
}

type ResultParams = Omit<ResultInput, 'provenance' | 'payload' | 'blobs' | 'headline'> & {
  provenance: string
  payload: string
  headline: string | null
}

const SELECT_RESULT = `
  SELECT id, job_id AS jobId, kind, checkpoint_id AS checkpointId, dataset_id AS datasetId,
    request_hash AS requestHash, provenance, payload, created_at AS createdAt
  FROM results`

const statements = preparedPerConnection((db: Database) => ({
  insert: db.prepare<[ResultParams], { id: number }>(`
    INSERT INTO results
      (job_id, kind, checkpoint_id, dataset_id, request_hash, provenance, payload, headline)
    VALUES
      (@jobId, @kind, @checkpointId, @datasetId, @requestHash, @provenance, @payload, @headline)
    RETURNING id`),
  insertBlob: db.prepare<[number, string, string]>(
    'INSERT INTO result_blobs (result_id, blob_sha256, role) VALUES (?, ?, ?)',
  ),
  removeByHash: db.prepare<[string]>('DELETE FROM results WHERE request_hash = ?'),
  byId: db.prepare<[number], ResultRow>(`${SELECT_RESULT} WHERE id = ?`),
  byHash: db.prepare<[string], ResultRow>(`${SELECT_RESULT} WHERE request_hash = ?`),
  ofCheckpoint: db.prepare<[number], ResultRow>(
    `${SELECT_RESULT} WHERE checkpoint_id = ? ORDER BY id`,
  ),
  blobsOf: db.prepare<[number], ResultBlobRef>(
    'SELECT role, blob_sha256 AS sha256 FROM result_blobs WHERE result_id = ? ORDER BY role',
  ),
  referencedShas: db.prepare<[], string>('SELECT DISTINCT blob_sha256 FROM result_blobs').pluck(),
  remove: db.prepare<[number]>('DELETE FROM results WHERE id = ?'),
  withoutHeadline: db.prepare<[], { id: number; kind: string; payload: string }>(
    'SELECT id, kind, payload FROM results WHERE headline IS NULL ORDER BY id',
  ),
  setHeadline: db.prepare<[string, number]>('UPDATE results SET headline = ? WHERE id = ?'),
}))

function toResultRecord(db: DbHandle, row: ResultRow): ResultRecord {
  return {
    ...row,
    provenance: parseJsonColumn<Record<string, unknown>>(row.provenance),
    payload: parseJsonColumn<unknown>(row.payload),
    blobs: statements(db).blobsOf.all(row.id),
  }
}

/**
 * Stores a result and its blob references in one transaction, replacing an older result with
 * the same request hash. The blob files must already be written (db/blobs.ts).
 */
export function saveResult(db: DbHandle, input: ResultInput): ResultRecord {
  const s = statements(db)
  return writeTransaction(db, () => {
    s.removeByHash.run(input.requestHash)
    const { blobs, provenance, payload, headline, ...columns } = input
    const params = {
      ...columns,
      provenance: JSON.stringify(provenance),
      payload: JSON.stringify(payload ?? null),
      headline: headline ? JSON.stringify(headline) : null,
    }
    const { id } = s.insert.get(params)!
    for (const blob of blobs) s.insertBlob.run(id, blob.sha256, blob.role)
    return toResultRecord(db, s.byId.get(id)!)
  })
}

export function getResult(db: DbHandle, id: number): ResultRecord | null {
  const row = statements(db).byId.get(id)
  return row === undefined ? null : toResultRecord(db, row)
}

/** The cached result of an identical request, or null. */
export function findResultByRequestHash(db: DbHandle, requestHash: string): ResultRecord | null {
  const row = statements(db).byHash.get(requestHash)
  return row === undefined ? null : toResultRecord(db, row)
}

export function listResultsOfCheckpoint(db: DbHandle, checkpointId: number): ResultRecord[] {
  return statements(db)
    .ofCheckpoint.all(checkpointId)
    .map((row) => toResultRecord(db, row))
}

/** Deletes a result (its blob files stay until collectGarbage); false when it did not exist. */
export function deleteResult(db: DbHandle, id: number): boolean {
  return statements(db).remove.run(id).changes > 0
}

/** Every blob sha256 some result still refers to. */
export function referencedBlobs(db: DbHandle): Set<string> {
  return new Set(statements(db).referencedShas.all())
}

/** Results stored before headlines were (workspace schema v2): id, kind and payload. */
export function resultsWithoutHeadline(
  db: DbHandle,
): { id: number; kind: string; payload: unknown }[] {
  return statements(db)
    .withoutHeadline.all()
    .map((row) => ({ ...row, payload: parseJsonColumn<unknown>(row.payload) }))
}

/** Writes the headlines of older results, all in one transaction. */
export function setResultHeadlines(
  db: DbHandle,
  headlines: { id: number; headline: Record<string, number> }[],
): void {
  if (headlines.length === 0) return
  const s = statements(db)
  writeTransaction(db, () => {
    for (const { id, headline } of headlines) s.setHeadline.run(JSON.stringify(headline), id)
  })
}
