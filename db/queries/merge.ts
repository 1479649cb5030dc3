import type { Database } from 'better-sqlite3'
import type { DbHandle } from '../handle.ts'
import { connectionOf } from '../handle.ts'
import { preparedPerConnection } from '../statements.ts'
import type { ResultBlobRef, ResultRow } from './results.ts'

// Copying rows between two workspaces of the same schema version: rows travel as they are
// stored (JSON columns as text), so a merged row is byte-for-byte the source's.

/** A row as stored, every column by its SQL name. */
export type StoredRow = Record<string, unknown> & { id: number }

export type CopiedTable = 'runs' | 'checkpoints' | 'datasets'

/** A result as stored (its job stays behind), with its blob references. */
export interface MergeableResult extends Omit<ResultRow, 'jobId'> {
  headline: string | null
  blobs: ResultBlobRef[]
}

type MergedResultColumns = Omit<MergeableResult, 'id' | 'blobs'>

export interface MetricRowCopy {
  epoch: number
  step: number | null
  split: string | null
  name: string
  value: number
}

const statements = preparedPerConnection((db: Database) => ({
  results: db.prepare<[], Omit<MergeableResult, 'blobs'>>(`
    SELECT id, kind, checkpoint_id AS checkpointId, dataset_id AS datasetId,
      request_hash AS requestHash, provenance, payload, headline, created_at AS createdAt
    FROM results ORDER BY id`),
  blobsOf: db.prepare<[number], ResultBlobRef>(
    'SELECT role, blob_sha256 AS sha256 FROM result_blobs WHERE result_id = ? ORDER BY role',
  ),
  resultByHash: db.prepare<[string], { id: number; provenance: string }>(
    'SELECT id, provenance FROM results WHERE request_hash = ?',
  ),
  run: db.prepare<[number], StoredRow>('SELECT * FROM runs WHERE id = ?'),
  checkpoint: db.prepare<[number], StoredRow>('SELECT * FROM checkpoints WHERE id = ?'),
  dataset: db.prepare<[number], StoredRow>('SELECT * FROM datasets WHERE id = ?'),
  currentMetrics: db.prepare<[number], MetricRowCopy>(`
    SELECT m.epoch, m.step, m.split, m.name, m.value FROM metrics m JOIN runs r ON r.id = m.run_id
    WHERE m.run_id = ? AND m.generation = r.metrics_generation ORDER BY m.rowid`),
  checkpointsOfSha: db.prepare<[string], { id: number; path: string }>(
    'SELECT id, path FROM checkpoints WHERE sha256 = ? ORDER BY id',
  ),
  shaOfPath: db.prepare<[string], string>('SELECT sha256 FROM checkpoints WHERE path = ?').pluck(),
  runOfFolder: db.prepare<[string], number>('SELECT id FROM runs WHERE folder = ?').pluck(),
  datasetOf: db
    .prepare<[string, string], number>('SELECT id FROM datasets WHERE path = ? AND fingerprint = ?')
    .pluck(),
  insertMetric: db.prepare<[number, number, number | null, string | null, string, number, number]>(
    'INSERT INTO metrics (run_id, epoch, step, split, name, value, generation) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  insertResult: db.prepare<[MergedResultColumns], { id: number }>(`
    INSERT INTO results
      (job_id, kind, checkpoint_id, dataset_id, request_hash, provenance, payload, headline, created_at)
    VALUES
      (NULL, @kind, @checkpointId, @datasetId, @requestHash, @provenance, @payload, @headline, @createdAt)
    RETURNING id`),
  insertBlob: db.prepare<[number, string, string]>(
    'INSERT INTO result_blobs (result_id, blob_sha256, role) VALUES (?, ?, ?)',
  ),
}))

/** Every stored result with its blob references, oldest first. */
export function mergeableResults(db: DbHandle): MergeableResult[] {
  const s = statements(db)
  return s.results.all().map((row) => ({ ...row, blobs: s.blobsOf.all(row.id) }))
}

/** The stored result of a request hash (its id and provenance JSON), or null. */
export function resultOfRequestHash(
  db: DbHandle,
  requestHash: string,
): { id: number; provenance: string } | null {
  return statements(db).resultByHash.get(requestHash) ?? null
}

export function storedRow(db: DbHandle, table: CopiedTable, id: number): StoredRow | null {
  const s = statements(db)
  const statement = table === 'runs' ? s.run : table === 'checkpoints' ? s.checkpoint : s.dataset
  return statement.get(id) ?? null
}

/** The checkpoints holding a model (by content), oldest first. */
export function checkpointsOfSha256(db: DbHandle, sha256: string): { id: number; path: string }[] {
  return statements(db).checkpointsOfSha.all(sha256)
}

/** The sha256 of the model the workspace knows at a path, or null. */
export function checkpointSha256OfPath(db: DbHandle, path: string): string | null {
  return statements(db).shaOfPath.get(path) ?? null
}

export function runIdOfFolder(db: DbHandle, folder: string): number | null {
  return statements(db).runOfFolder.get(folder) ?? null
}

export function datasetIdOf(db: DbHandle, path: string, fingerprint: string): number | null {
  return statements(db).datasetOf.get(path, fingerprint) ?? null
}

/** The metric rows a run shows (its current generation). */
export function currentMetricRows(db: DbHandle, runId: number): MetricRowCopy[] {
  return statements(db).currentMetrics.all(runId)
}

const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/

/** Inserts a row copied from another workspace under a new id, with some columns replaced. */
export function insertStoredRow(
  db: DbHandle,
  table: CopiedTable,
  row: StoredRow,
  replaced: Record<string, unknown> = {},
): number {
  const { id: _id, ...columns } = { ...row, ...replaced }
  const names = Object.keys(columns)
  if (!names.every((name) => COLUMN_NAME.test(name)))
    throw new TypeError(`Unexpected column names in a copied ${table} row: ${names.join(', ')}.`)
  const sql = `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')}) RETURNING id`
  return (connectionOf(db).prepare(sql).get(columns) as { id: number }).id
}

export function insertMetricRows(
  db: DbHandle,
  runId: number,
  generation: number,
  rows: readonly MetricRowCopy[],
): void {
  const s = statements(db)
  for (const r of rows)
    s.insertMetric.run(runId, r.epoch, r.step, r.split, r.name, r.value, generation)
}

/** Inserts a result copied from another workspace (its job stays behind: job_id NULL). */
export function insertMergedResult(
  db: DbHandle,
  result: MergeableResult,
  ids: { checkpointId: number | null; datasetId: number | null },
): number {
  const s = statements(db)
  const { blobs, id: _id, ...columns } = result
  const { id } = s.insertResult.get({ ...columns, ...ids })!
  for (const blob of blobs) s.insertBlob.run(id, blob.sha256, blob.role)
  return id
}
