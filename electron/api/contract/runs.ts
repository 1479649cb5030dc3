import { channel, id, object, readPath } from './channels.ts'
import type { ChannelSpecs } from './channels.ts'
import type { DatasetRequest, Preprocessing } from './datasets.ts'

export interface RunInfo {
  id: number
  name: string
  folder: string
  tags: string[]
  notes: string
  classes: string[] | null
  preprocessing: Preprocessing | null
  checkpointCount: number
  lastEpoch: number | null
  importedAt: string
  updatedAt: string
}

export interface CheckpointInfo {
  id: number
  runId: number | null
  epoch: number | null
  step: number | null
  /** '' for `epoch_N.onnx`, else the suffix: 'bn' for `epoch_N.bn.onnx`. */
  variant: string
  path: string
  sha256: string
  sizeBytes: number
  isBnFolded: boolean
  params: number
  macs: number
  opset: number
  /** Set for this checkpoint in the app (a model opened on its own); null: the run's. */
  preprocessing: Preprocessing | null
}

export interface MetricSeries {
  /** e.g. 'loss', 'accuracy', 'grad_norms/layer1.0.conv1.weight' */
  name: string
  split: string | null
  points: { epoch: number; step: number | null; value: number }[]
}

export interface RunDetail extends RunInfo {
  checkpoints: CheckpointInfo[]
  metrics: MetricSeries[]
  /** The test split run.json names (`dataset`): the launcher's default. */
  defaultDataset: DatasetRequest | null
  /** run.json's `metricRoles`: a role ('accuracy/test', 'lr') → the series that plays it. */
  metricRoles: Record<string, string>
}

/** The accuracy check after an import: the newest epoch evaluated and compared with the log. */
export interface ImportCheck {
  status: 'checked' | 'skipped' | 'failed'
  /** One sentence: "checked epoch 7 on 1000 t10k images: 91.30 % vs 91.31 % logged", or why not. */
  message: string
  epoch: number | null
  images: number | null
  measured: number | null
  logged: number | null
  /** More than a point apart: the preprocessing is probably wrong. */
  isMismatch: boolean
}

export interface ImportReport {
  run: RunInfo
  added: CheckpointInfo[]
  unchanged: number
  metricLines: number
  warnings: string[]
  /** null when the import added no checkpoint or the host runs no engine. */
  check: ImportCheck | null
}

export interface RunPatch {
  name?: string
  tags?: string[]
  notes?: string
  /** How its images are prepared (checked as run.json's); run.json's, if any, wins at re-import. */
  preprocessing?: Preprocessing
  /**
   * The series that play each role ('accuracy/test' → 'top1_eval'), chosen in the app: they
   * replace the earlier choices and win over run.json's `metricRoles`.
   */
  metricRoles?: Record<string, string>
}

export interface CheckpointPatch {
  /** For a model opened on its own; null: use the run's (or none). */
  preprocessing: Preprocessing | null
}

export interface RunsInvoke {
  'run:import': (folder: string) => ImportReport
  'run:list': () => RunInfo[]
  'run:get': (runId: number) => RunDetail
  'run:update': (runId: number, patch: RunPatch) => RunInfo
  /** Adds one model file outside any run as a checkpoint. */
  'checkpoint:open': (path: string) => CheckpointInfo
  'checkpoint:get': (checkpointId: number) => CheckpointInfo
  'checkpoint:update': (checkpointId: number, patch: CheckpointPatch) => CheckpointInfo
}
export const RUNS_CHANNELS = {
  'run:import': channel([readPath('folder')]),
  'run:list': channel([]),
  'run:get': channel([id('runId')]),
  'run:update': channel([id('runId'), object('patch')]),
  'checkpoint:open': channel([readPath('path')]),
  'checkpoint:get': channel([id('checkpointId')]),
  'checkpoint:update': channel([id('checkpointId'), object('patch')]),
} as const satisfies ChannelSpecs<RunsInvoke>
