import type { Database } from 'better-sqlite3'
import type { DbHandle } from '../handle.ts'
import type {
  CheckpointInfo,
  ModelSummary,
  Preprocessing,
} from '../../electron/api/contract/index.ts'
import { parseJsonColumn, parseNullableJsonColumn, toNullableJson } from '../json.ts'
import { preparedPerConnection } from '../statements.ts'

/** A summarized checkpoint file; sha256, params, MACs, opset and BN folding come from `summary`. */
export interface CheckpointInput {
  /** null for a checkpoint opened on its own. */
  runId: number | null
  /** Absolute path: the checkpoint's identity. */
  path: string
  epoch: number | null
  step: number | null
  /** '' for `epoch_N.onnx`, 'bn' for `epoch_N.bn.onnx`. */
  variant: string
  /** Size and modification time of the file as scanned, to notice later when it changes. */
  sizeBytes: number
  mtimeMs: number
  summary: ModelSummary
}

/** What the workspace knows about a checkpoint file, enough to tell whether it changed since. */
export interface StoredCheckpointFile {
  path: string
  sha256: string
  sizeBytes: number
  mtimeMs: number
}

/** added: a new path; replaced: a known path whose content (sha256) changed; else unchanged. */
export type CheckpointChange = 'added' | 'replaced' | 'unchanged'

export interface SavedCheckpoint {
  checkpoint: CheckpointInfo
  change: CheckpointChange
}

interface CheckpointRow {
  id: number
  runId: number | null
  epoch: number | null
  step: number | null
  variant: string
  path: string
  sha256: string
  sizeBytes: number
  isBnFolded: number
  params: number
  macs: number
  opset: number
  preprocessing: string | null
}

type CheckpointParams = Omit<CheckpointInput, 'summary'> & {
  sha256: string
  isBnFolded: number
  params: number
  macs: number
  opset: number
  summary: string
}

const SELECT_CHECKPOINT = `
  SELECT id, run_id AS runId, epoch, step, variant, path, sha256, size_bytes AS sizeBytes,
    is_bn_folded AS isBnFolded, params, macs, opset, preprocessing
  FROM checkpoints`

const ORDER = 'ORDER BY epoch IS NULL, epoch, variant, path'

const statements = preparedPerConnection((db: Database) => ({
  upsert: db.prepare<[CheckpointParams], { id: number }>(`
    INSERT INTO checkpoints (run_id, path, sha256, size_bytes, mtime_ms, epoch, step, variant,
      is_bn_folded, params, macs, opset, summary)
    VALUES (@runId, @path, @sha256, @sizeBytes, @mtimeMs, @epoch, @step, @variant,
      @isBnFolded, @params, @macs, @opset, @summary)
    ON CONFLICT (path) DO UPDATE SET run_id = excluded.run_id, sha256 = excluded.sha256,
      size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, epoch = excluded.epoch,
      step = excluded.step, variant = excluded.variant, is_bn_folded = excluded.is_bn_folded,
      params = excluded.params, macs = excluded.macs, opset = excluded.opset,
      summary = excluded.summary
    RETURNING id`),
  shaByPath: db.prepare<[string], string>('SELECT sha256 FROM checkpoints WHERE path = ?').pluck(),
  byId: db.prepare<[number], CheckpointRow>(`${SELECT_CHECKPOINT} WHERE id = ?`),
  byPath: db.prepare<[string], CheckpointRow>(`${SELECT_CHECKPOINT} WHERE path = ?`),
  ofRun: db.prepare<[number], CheckpointRow>(`${SELECT_CHECKPOINT} WHERE run_id = ? ${ORDER}`),
  loose: db.prepare<[], CheckpointRow>(`${SELECT_CHECKPOINT} WHERE run_id IS NULL ${ORDER}`),
  summary: db.prepare<[number], string>('SELECT summary FROM checkpoints WHERE id = ?').pluck(),
  setPreprocessing: db.prepare<[string | null, number]>(
    'UPDATE checkpoints SET preprocessing = ? WHERE id = ?',
  ),
  filesOfFolder: db.prepare<[string], StoredCheckpointFile>(`
    SELECT c.path, c.sha256, c.size_bytes AS sizeBytes, c.mtime_ms AS mtimeMs
    FROM checkpoints c JOIN runs r ON r.id = c.run_id WHERE r.folder = ?`),
  fileOfPath: db.prepare<[string], StoredCheckpointFile>(`
    SELECT path, sha256, size_bytes AS sizeBytes, mtime_ms AS mtimeMs FROM checkpoints WHERE path = ?`),
  remove: db.prepare<[number]>('DELETE FROM checkpoints WHERE id = ?'),
}))

function toCheckpointInfo(row: CheckpointRow): CheckpointInfo {
  return {
    ...row,
    isBnFolded: row.isBnFolded === 1,
    preprocessing: parseNullableJsonColumn<Preprocessing>(row.preprocessing),
  }
}

function toParams(input: CheckpointInput): CheckpointParams {
  const { summary, ...file } = input
  return {
    ...file,
    sha256: summary.sha256,
    isBnFolded: summary.batchNorm.isFolded ? 1 : 0,
    params: summary.params,
    macs: summary.macs,
    opset: summary.opset,
    summary: JSON.stringify(summary),
  }
}

/** Stores a checkpoint under its path, replacing what was stored for that path before. */
export function upsertCheckpoint(db: DbHandle, input: CheckpointInput): SavedCheckpoint {
  const s = statements(db)
  const previousSha = s.shaByPath.get(input.path)
  const { id } = s.upsert.get(toParams(input))!
  const checkpoint = toCheckpointInfo(s.byId.get(id)!)
  if (previousSha === undefined) return { checkpoint, change: 'added' }
  return { checkpoint, change: previousSha === checkpoint.sha256 ? 'unchanged' : 'replaced' }
}

export function getCheckpoint(db: DbHandle, id: number): CheckpointInfo | null {
  const row = statements(db).byId.get(id)
  return row === undefined ? null : toCheckpointInfo(row)
}

export function findCheckpointByPath(db: DbHandle, path: string): CheckpointInfo | null {
  const row = statements(db).byPath.get(path)
  return row === undefined ? null : toCheckpointInfo(row)
}

/** A run's checkpoints by epoch then variant; `null` lists the checkpoints opened on their own. */
export function listCheckpoints(db: DbHandle, runId: number | null): CheckpointInfo[] {
  const s = statements(db)
  const rows = runId === null ? s.loose.all() : s.ofRun.all(runId)
  return rows.map(toCheckpointInfo)
}

export function checkpointSummary(db: DbHandle, id: number): ModelSummary | null {
  const text = statements(db).summary.get(id)
  return text === undefined ? null : parseJsonColumn<ModelSummary>(text)
}

/** The stored checkpoint files of the run imported from `folder`, by path. */
export function storedCheckpointFiles(
  db: DbHandle,
  folder: string,
): Map<string, StoredCheckpointFile> {
  const files = statements(db).filesOfFolder.all(folder)
  return new Map(files.map((file) => [file.path, file]))
}

/** Deletes a checkpoint and its results; false when it did not exist. */
export function deleteCheckpoint(db: DbHandle, id: number): boolean {
  return statements(db).remove.run(id).changes > 0
}

/** Size, modification time and hash stored for one checkpoint path (any run, or none). */
export function storedCheckpointFile(db: DbHandle, path: string): StoredCheckpointFile | null {
  return statements(db).fileOfPath.get(path) ?? null
}

/** Sets (or with null clears) the preprocessing of a checkpoint; null when there is none. */
export function setCheckpointPreprocessing(
  db: DbHandle,
  id: number,
  preprocessing: Preprocessing | null,
): CheckpointInfo | null {
  const changed = statements(db).setPreprocessing.run(toNullableJson(preprocessing), id).changes
  return changed === 0 ? null : getCheckpoint(db, id)
}
