import type { Database } from 'better-sqlite3'
import type { DbHandle } from '../handle.ts'
import type { Preprocessing, RunInfo } from '../../electron/api/contract/index.ts'
import { parseJsonColumn, parseNullableJsonColumn, toNullableJson } from '../json.ts'
import { preparedPerConnection } from '../statements.ts'
import { SQL_NOW } from '../timestamps.ts'

/** What a run folder's run.json (or the user) says about a run; null leaves a stored value as is. */
export interface RunFields {
  name: string | null
  tags: string[] | null
  notes: string | null
  classes: string[] | null
  preprocessing: Preprocessing | null
  /** run.json keys the app does not interpret, kept as they were. */
  meta: Record<string, unknown> | null
}

export interface RunUpsert extends RunFields {
  /** Absolute folder path: the run's identity. */
  folder: string
  /** The name a new run gets when `name` is null (the folder's base name). */
  defaultName: string
}

export type NewRun = Partial<RunFields> & { folder: string; name: string }

interface RunRow {
  id: number
  name: string
  folder: string
  tags: string
  notes: string
  classes: string | null
  preprocessing: string | null
  importedAt: string
  updatedAt: string
  checkpointCount: number
  lastEpoch: number | null
}

interface RunParams {
  name: string | null
  defaultName: string
  folder: string
  tags: string | null
  notes: string | null
  classes: string | null
  preprocessing: string | null
  meta: string | null
}

// lastEpoch: the newest checkpoint's epoch, or the newest logged epoch while no checkpoint exists.
const SELECT_RUN = `
  SELECT r.id, r.name, r.folder, r.tags, r.notes, r.classes, r.preprocessing,
    r.imported_at AS importedAt, r.updated_at AS updatedAt,
    (SELECT count(*) FROM checkpoints c WHERE c.run_id = r.id) AS checkpointCount,
    coalesce(
      (SELECT max(c.epoch) FROM checkpoints c WHERE c.run_id = r.id),
      r.last_logged_epoch
    ) AS lastEpoch
  FROM runs r`

const UPSERT_RUN = `
  INSERT INTO runs (name, folder, tags, notes, classes, preprocessing, meta)
  VALUES (coalesce(@name, @defaultName), @folder, coalesce(@tags, '[]'), coalesce(@notes, ''),
    @classes, @preprocessing, coalesce(@meta, '{}'))
  ON CONFLICT (folder) DO UPDATE SET
    name = coalesce(@name, name), tags = coalesce(@tags, tags), notes = coalesce(@notes, notes),
    classes = coalesce(@classes, classes), preprocessing = coalesce(@preprocessing, preprocessing),
    meta = coalesce(@meta, meta), updated_at = ${SQL_NOW}
  RETURNING id`

const statements = preparedPerConnection((db: Database) => ({
  insert: db.prepare<[RunParams], { id: number }>(`
    INSERT INTO runs (name, folder, tags, notes, classes, preprocessing, meta)
    VALUES (coalesce(@name, @defaultName), @folder, coalesce(@tags, '[]'), coalesce(@notes, ''),
      @classes, @preprocessing, coalesce(@meta, '{}'))
    RETURNING id`),
  upsert: db.prepare<[RunParams], { id: number }>(UPSERT_RUN),
  byId: db.prepare<[number], RunRow>(`${SELECT_RUN} WHERE r.id = ?`),
  byFolder: db.prepare<[string], RunRow>(`${SELECT_RUN} WHERE r.folder = ?`),
  // A run whose first import has not finished (metrics_generation 0) is not listed yet.
  all: db.prepare<[], RunRow>(
    `${SELECT_RUN} WHERE r.metrics_generation > 0 ORDER BY r.updated_at DESC, r.id DESC`,
  ),
  update: db.prepare<[RunParams & { id: number }]>(`
    UPDATE runs SET name = coalesce(@name, name), tags = coalesce(@tags, tags),
      notes = coalesce(@notes, notes), classes = coalesce(@classes, classes),
      preprocessing = coalesce(@preprocessing, preprocessing), meta = coalesce(@meta, meta),
      updated_at = ${SQL_NOW}
    WHERE id = @id`),
  remove: db.prepare<[number]>('DELETE FROM runs WHERE id = ?'),
  meta: db.prepare<[number], string>('SELECT meta FROM runs WHERE id = ?').pluck(),
  metricRoles: db.prepare<[number], string>('SELECT metric_roles FROM runs WHERE id = ?').pluck(),
  setMetricRoles: db.prepare<[string, number]>('UPDATE runs SET metric_roles = ? WHERE id = ?'),
}))

function toRunInfo(row: RunRow): RunInfo {
  return {
    id: row.id,
    name: row.name,
    folder: row.folder,
    tags: parseJsonColumn<string[]>(row.tags),
    notes: row.notes,
    classes: parseNullableJsonColumn<string[]>(row.classes),
    preprocessing: parseNullableJsonColumn<Preprocessing>(row.preprocessing),
    checkpointCount: row.checkpointCount,
    lastEpoch: row.lastEpoch,
    importedAt: row.importedAt,
    updatedAt: row.updatedAt,
  }
}

function toParams(fields: Partial<RunFields>, folder: string, defaultName: string): RunParams {
  return {
    name: fields.name ?? null,
    defaultName,
    folder,
    tags: toNullableJson(fields.tags),
    notes: fields.notes ?? null,
    classes: toNullableJson(fields.classes),
    preprocessing: toNullableJson(fields.preprocessing),
    meta: toNullableJson(fields.meta),
  }
}

function requireRun(db: DbHandle, id: number): RunInfo {
  const run = getRun(db, id)
  if (run === null) throw new Error(`Run ${id} vanished while it was being written.`)
  return run
}

/** Adds a run; a second run with the same folder is refused (SQLITE_CONSTRAINT_UNIQUE). */
export function insertRun(db: DbHandle, run: NewRun): RunInfo {
  const { id } = statements(db).insert.get(toParams(run, run.folder, run.name))!
  return requireRun(db, id)
}

/** Adds the run of `folder`, or updates it: fields given as null keep their stored value. */
export function upsertRunByFolder(db: DbHandle, run: RunUpsert): RunInfo {
  const { id } = statements(db).upsert.get(toParams(run, run.folder, run.defaultName))!
  return requireRun(db, id)
}

export function getRun(db: DbHandle, id: number): RunInfo | null {
  const row = statements(db).byId.get(id)
  return row === undefined ? null : toRunInfo(row)
}

export function findRunByFolder(db: DbHandle, folder: string): RunInfo | null {
  const row = statements(db).byFolder.get(folder)
  return row === undefined ? null : toRunInfo(row)
}

/** Every run, the most recently updated first. */
export function listRuns(db: DbHandle): RunInfo[] {
  return statements(db).all.all().map(toRunInfo)
}

/** Changes what the user edited (fields left out or null stay); null when the run is gone. */
export function updateRun(db: DbHandle, id: number, fields: Partial<RunFields>): RunInfo | null {
  const result = statements(db).update.run({ ...toParams(fields, '', ''), id })
  return result.changes === 0 ? null : getRun(db, id)
}

/** Deletes a run with its checkpoints, metrics and their results; false when it did not exist. */
export function deleteRun(db: DbHandle, id: number): boolean {
  return statements(db).remove.run(id).changes > 0
}

/** run.json's keys the app does not interpret (e.g. the dataset the run was trained on). */
export function getRunMeta(db: DbHandle, id: number): Record<string, unknown> {
  const text = statements(db).meta.get(id)
  return text === undefined ? {} : parseJsonColumn<Record<string, unknown>>(text)
}

/** The metric roles chosen in the app for a run ({} when none, or no such run). */
export function getRunMetricRoles(db: DbHandle, id: number): Record<string, string> {
  const text = statements(db).metricRoles.get(id)
  return text === undefined ? {} : (JSON.parse(text) as Record<string, string>)
}

/** Replaces the metric roles chosen in the app; false when there is no such run. */
export function setRunMetricRoles(
  db: DbHandle,
  id: number,
  roles: Record<string, string>,
): boolean {
  return statements(db).setMetricRoles.run(JSON.stringify(roles), id).changes > 0
}
