import type { Preprocessing } from '../../electron/api/contract/index.ts'

/** One `epoch_<N>.onnx` or `epoch_<N>.<variant>.onnx` file of a run folder. */
export interface CheckpointFile {
  /** Absolute path. */
  path: string
  fileName: string
  epoch: number
  /** '' for `epoch_N.onnx`, else the part between the epoch and `.onnx` ('bn'). */
  variant: string
  sizeBytes: number
  mtimeMs: number
}

/** One logged value of metrics.jsonl; a `grad_norms` entry is named 'grad_norms/<param>'. */
export interface MetricRow {
  epoch: number
  step: number | null
  split: string | null
  name: string
  value: number
}

/** What run.json says; null where it says nothing (or when there is no run.json). */
export interface RunJsonFields {
  name: string | null
  tags: string[] | null
  notes: string | null
  classes: string[] | null
  preprocessing: Preprocessing | null
  /** run.json's other keys, kept as they are; null when there is no run.json. */
  meta: Record<string, unknown> | null
}

export type RunFolderWarningCode =
  | 'RUN_FOLDER_GAP'
  | 'RUN_FOLDER_DUPLICATE_EPOCH'
  | 'RUN_FOLDER_IGNORED_FILES'
  | 'METRICS_PARTIAL_LINE'
  | 'METRICS_IGNORED_FIELDS'

/** Something the user should know that does not stop the import. */
export interface RunFolderWarning {
  code: RunFolderWarningCode
  message: string
}

export interface RunFolderScan {
  /** Absolute path of the run folder: the run's identity in a workspace. */
  folder: string
  /** The folder's base name: the run's name when run.json gives none. */
  defaultName: string
  fields: RunJsonFields
  /** In epoch order (numeric), the plain export before its variants. */
  checkpoints: CheckpointFile[]
  /** The folder's metrics.jsonl, or null when it has none. */
  metricsFile: string | null
  /** `.onnx` files whose names are not epoch_<N>.onnx. */
  ignoredFiles: string[]
  warnings: RunFolderWarning[]
}
