import type { Database } from 'better-sqlite3'
import type { DbHandle } from '../handle.ts'
import { parseJsonColumn } from '../json.ts'
import { preparedPerConnection } from '../statements.ts'

/** A labelled image set the workspace has read; a changed folder (new fingerprint) is a new row. */
export interface DatasetRecord {
  id: number
  name: string
  /** The reader that understands it, e.g. 'imagefolder', 'idx', 'npy'. */
  kind: string
  path: string
  /** Hash over the dataset's file list and contents, so results name exactly what they saw. */
  fingerprint: string
  classes: string[]
  meta: Record<string, unknown>
  createdAt: string
}

export type DatasetInput = Omit<DatasetRecord, 'id' | 'createdAt'>

interface DatasetRow extends Omit<DatasetRecord, 'classes' | 'meta'> {
  classes: string
  meta: string
}

type DatasetParams = Omit<DatasetInput, 'classes' | 'meta'> & { classes: string; meta: string }

const SELECT_DATASET = `
  SELECT id, name, kind, path, fingerprint, classes, meta, created_at AS createdAt FROM datasets`

const statements = preparedPerConnection((db: Database) => ({
  upsert: db.prepare<[DatasetParams], { id: number }>(`
    INSERT INTO datasets (name, kind, path, fingerprint, classes, meta)
    VALUES (@name, @kind, @path, @fingerprint, @classes, @meta)
    ON CONFLICT (path, fingerprint) DO UPDATE SET name = excluded.name, kind = excluded.kind,
      classes = excluded.classes, meta = excluded.meta
    RETURNING id`),
  insertIfAbsent: db.prepare<[DatasetParams]>(`
    INSERT INTO datasets (name, kind, path, fingerprint, classes, meta)
    VALUES (@name, @kind, @path, @fingerprint, @classes, @meta)
    ON CONFLICT (path, fingerprint) DO NOTHING`),
  byPathAndFingerprint: db.prepare<[string, string], { id: number }>(
    'SELECT id FROM datasets WHERE path = ? AND fingerprint = ?',
  ),
  byId: db.prepare<[number], DatasetRow>(`${SELECT_DATASET} WHERE id = ?`),
  byFingerprint: db.prepare<[string], DatasetRow>(
    `${SELECT_DATASET} WHERE fingerprint = ? ORDER BY id DESC LIMIT 1`,
  ),
  all: db.prepare<[], DatasetRow>(`${SELECT_DATASET} ORDER BY name, id`),
  remove: db.prepare<[number]>('DELETE FROM datasets WHERE id = ?'),
}))

function toDatasetRecord(row: DatasetRow): DatasetRecord {
  return {
    ...row,
    classes: parseJsonColumn<string[]>(row.classes),
    meta: parseJsonColumn<Record<string, unknown>>(row.meta),
  }
}

/** Stores a dataset; the same path with the same fingerprint updates the existing row. */
export function upsertDataset(db: DbHandle, input: DatasetInput): DatasetRecord {
  const params = {
    ...input,
    classes: JSON.stringify(input.classes),
    meta: JSON.stringify(input.meta),
  }
  const { id } = statements(db).upsert.get(params)!
  return getDataset(db, id)!
}

/** The row of this path and fingerprint, inserted when missing; an existing row keeps its name and meta. */
export function ensureDataset(db: DbHandle, input: DatasetInput): number {
  const s = statements(db)
  s.insertIfAbsent.run({
    ...input,
    classes: JSON.stringify(input.classes),
    meta: JSON.stringify(input.meta),
  })
  return s.byPathAndFingerprint.get(input.path, input.fingerprint)!.id
}

export function getDataset(db: DbHandle, id: number): DatasetRecord | null {
  const row = statements(db).byId.get(id)
  return row === undefined ? null : toDatasetRecord(row)
}

/** The newest dataset with this fingerprint (the same files, wherever they are now). */
export function findDatasetByFingerprint(db: DbHandle, fingerprint: string): DatasetRecord | null {
  const row = statements(db).byFingerprint.get(fingerprint)
  return row === undefined ? null : toDatasetRecord(row)
}

export function listDatasets(db: DbHandle): DatasetRecord[] {
  return statements(db).all.all().map(toDatasetRecord)
}

/** Deletes a dataset and the results computed on it; false when it did not exist. */
export function deleteDataset(db: DbHandle, id: number): boolean {
  return statements(db).remove.run(id).changes > 0
}
