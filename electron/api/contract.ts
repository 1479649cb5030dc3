// THE contract between the hosts (CLI, Electron main, web host), the service and the renderer.
// Types only plus two constant maps: no runtime dependencies, safe to import from the renderer.

/** A tensor dimension: a number when fixed, the symbol (e.g. 'batch') when dynamic. */
export type Dim = number | string

export interface TensorInfo {
  name: string
  /** ONNX element type name, e.g. 'float32'. */
  dataType: string
  shape: Dim[]
}

export type LayerKind = 'stem' | 'block' | 'classifier'
export type BlockType = 'bottleneck' | 'basic'

/** One ResNet layer; `key` is the stable name every analysis uses ('stem', 'layer3.4', 'fc'). */
export interface LayerSummary {
  key: string
  kind: LayerKind
  /** 1-based stage index for blocks, null for stem and classifier. */
  stage: number | null
  blockType: BlockType | null
  hasDownsample: boolean
  /** Learnable parameters of the layer (BN kept: conv weights + BN scale and bias; running mean/var are buffers, not counted). */
  params: number
  /** Multiply-accumulates of its Conv/Gemm/MatMul nodes at the summary's input size, batch 1. */
  macs: number
  /** NCHW (or [N, classes]) at batch 1. */
  outputShape: number[]
  /** Name of the tensor this layer outputs: the tap for later analyses. */
  outputName: string
  /** Names of the graph nodes that belong to the layer. */
  nodes: string[]
  /** Where the key came from: node scopes, or block position when scopes are missing. */
  keySource: 'scope' | 'position'
}

export interface ResNetArchitecture {
  /** 'resnet50' when depth and block type match a torchvision model, else 'resnet'. */
  name: string
  /** Weighted layers (convs on the main path + fc), e.g. 50; null when it matches no standard depth. */
  depth: number | null
  blockType: BlockType
  /** Blocks per stage, e.g. [3, 4, 6, 3]. */
  stages: number[]
  /** 'imagenet': 7×7/2 conv + max pool; 'cifar': 3×3/1 conv, no max pool. */
  stem: 'imagenet' | 'cifar'
}

export interface ModelSummary {
  fileName: string
  /** sha256 over the model file followed by its external-data files in name order. */
  sha256: string
  sizeBytes: number
  externalDataFiles: string[]
  irVersion: number
  /** The default-domain (ai.onnx) opset. */
  opset: number
  producer: string
  inputs: TensorInfo[]
  outputs: TensorInfo[]
  inputLayout: 'NCHW' | 'NHWC'
  /** Spatial size used for shapes and MACs: the graph's own, or 224×224 when it is dynamic. */
  inputSize: { channels: number; height: number; width: number; isAssumed: boolean }
  numClasses: number
  architecture: ResNetArchitecture
  batchNorm: { count: number; isFolded: boolean }
  /** A Softmax after the classifier: outputs are probabilities, not logits. */
  hasTrailingSoftmax: boolean
  /** Sub/Div (or Mul) on the input before the stem: the graph normalises its input itself. */
  inputNormalization: { mean: number[]; std: number[] } | null
  params: number
  macs: number
  /** Always 2 × macs. */
  flops: number
  layers: LayerSummary[]
  /** The pooled-features tensor feeding the classifier. */
  pooledFeatures: { name: string; size: number }
  warnings: string[]
}

export interface SynthRequest {
  depth: 18 | 34 | 50 | 101
  numClasses: number
  inputSize: number
  cifarStem: boolean
  bnFolded: boolean
  opset: number
  seed: number
  /** Fixed batch size, or 'dynamic' for a symbolic 'batch' dimension. */
  batch: number | 'dynamic'
  /** Write weights to '<file>.data' beside the model. */
  externalData: boolean
}

export interface SynthReport {
  path: string
  sizeBytes: number
  summary: ModelSummary
}

/** How images become the model's input; stored with a run and with every result. */
export interface Preprocessing {
  resize: number | null
  centerCrop: number | null
  pad: number
  grayToRgb: boolean
  mean: number[]
  std: number[]
  inputSize: [number, number]
}

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
}

export interface ImportReport {
  run: RunInfo
  added: CheckpointInfo[]
  unchanged: number
  metricLines: number
  warnings: string[]
}

export interface WorkspaceInfo {
  folder: string
  schemaVersion: number
  runs: number
  checkpoints: number
  blobs: number
  blobBytes: number
}

/** `auto` picks CUDA on Linux x64 when its provider loads, DirectML on Windows, else CPU. */
export type ExecutionProvider = 'auto' | 'cuda' | 'dml' | 'cpu'

/** Which images to use and how they map to logit indices. */
export interface DatasetRequest {
  /** An ImageFolder root, a folder of IDX files (MNIST family), or a folder with images.npy + labels.npy. */
  path: string
  format: 'auto' | 'imagefolder' | 'idx' | 'npy'
  /** A split by folder ('train'/'val'/'test' sub-folder) or by IDX file prefix ('train', 't10k'); null: the whole set. */
  split: string | null
  /** A seeded fraction held out of the set: 'holdout' keeps it, 'rest' keeps the others. */
  holdout: { fraction: number; seed: number; part: 'holdout' | 'rest' } | null
  /** Class index → name, in logit order; null: sorted folder names (ImageFolder) or 0..K-1. */
  classes: string[] | null
  /** A seeded random subset of this many images (after split and holdout); null: all. */
  sample: { count: number; seed: number } | null
  /** Keep only the first N images (after sampling); null: all. */
  limit: number | null
}

export interface DatasetInfo {
  id: number
  name: string
  format: 'imagefolder' | 'idx' | 'npy'
  path: string
  split: string | null
  numImages: number
  classes: string[]
  /** sha256 over the selected items' identities and bytes, the class map and the selection. */
  fingerprint: string
  /** Stored image layout before preprocessing, e.g. uint8 [28, 28] gray. */
  itemShape: number[]
}

/** A dataset the user added to the workspace (or one a job read): pick it in the launcher. */
export interface DatasetEntry extends DatasetInfo {
  /** The selection it was added with: pass it as a job's `dataset`. */
  request: DatasetRequest
  /** Generated images (the example workspace): every view that shows it says so. */
  isSynthetic: boolean
}

interface CheckpointJobBase {
  /** A workspace checkpoint, or a model file outside any run. */
  checkpointId: number | null
  modelPath: string | null
  dataset: DatasetRequest
  /** null: the run's preprocessing (run.json), required when the run has none. */
  preprocessing: Preprocessing | null
  /** null: sized by time (about one second per batch). */
  batchSize: number | null
  provider: ExecutionProvider
  /**
   * Keep the preprocessed float32 tensors of this dataset selection in the workspace's tensor
   * cache and read them from there next time instead of decoding images. Default false.
   */
  useTensorCache?: boolean
  /** Compute again even when an identical result is stored; the new result replaces it when done. */
  force?: boolean
}

export interface EvaluateRequest extends CheckpointJobBase {
  kind: 'evaluate'
}

export interface ActivationStatsRequest extends CheckpointJobBase {
  kind: 'activation-stats'
  /** Layer keys to tap; null: every block output and the pooled features. */
  taps: string[] | null
  /** Values sampled per tap and batch for the histograms (seeded positions). */
  histogramSamplesPerBatch: number
  histogramBins: number
  seed: number
}

/** How a tap becomes one vector per image for CKA. */
export type SpatialPooling = 'none' | 'mean'

/**
 * The centered Gram Xc·Xcᵀ of every tap for each batch of a pinned, seeded batch order, stored
 * as workspace blobs: CKA between any checkpoints on the same batches needs no new forward pass.
 */
export interface CkaGramsRequest extends CheckpointJobBase {
  kind: 'cka-grams'
  /** Layer keys ('stem', 'layer1.0', …, 'pooled'); null: the stem, every block and the pooled features. */
  taps: string[] | null
  /** Images per Gram (n). Every batch has exactly n images; the last partial batch is dropped. */
  gramBatch: number
  /** Seed of the batch order over the selected images. */
  orderSeed: number
  /** 'none': the tap flattened to C·H·W per image; 'mean': averaged over H and W first. */
  spatialPooling: SpatialPooling
}

export type JobRequest = EvaluateRequest | ActivationStatsRequest | CkaGramsRequest
export type JobKind = JobRequest['kind']
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

export interface JobInfo {
  id: number
  kind: JobKind
  status: JobStatus
  stage: string
  done: number
  total: number
  /** Items per second over the job so far; null before the first batch. */
  rate: number | null
  etaMs: number | null
  error: IpcError | null
  resultId: number | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

/** Which execution providers ran a result: asked for, attached, and nodes per provider (ORT profiling). */
export interface ProviderReport {
  requested: ExecutionProvider
  attached: string[]
  nodePlacement: Record<string, number>
  fallbackReason: string | null
}

export interface Provenance {
  modelSha256: string
  modelFile: string
  datasetFingerprint: string
  dataset: DatasetRequest
  preprocessing: Preprocessing
  parameters: Record<string, unknown>
  providers: ProviderReport
  appVersion: string
  createdAt: string
  elapsedMs: number
  batchSize: number
}

export interface ReliabilityBin {
  lower: number
  upper: number
  count: number
  accuracy: number
  confidence: number
}

export interface EvaluationResult {
  numImages: number
  classes: string[]
  top1: number
  top5: number
  /** Mean negative log-likelihood of the true class (natural log). */
  nll: number
  /** Expected calibration error over 15 equal-width confidence bins (lower, upper]. */
  ece: number
  reliability: ReliabilityBin[]
  /** confusion[true][predicted] counts. */
  confusion: number[][]
  perClass: { name: string; count: number; accuracy: number }[]
}

export interface TapStatistics {
  key: string
  /** Per-sample shape [C, H, W] (or [C] for pooled features). */
  shape: number[]
  /** Per channel, over images and positions; std is the population std. */
  mean: number[]
  std: number[]
  maxAbs: number[]
  zeroFraction: number[]
  histogram: { edges: number[]; counts: number[]; sampledValues: number; totalValues: number }
}

export interface ActivationStatsResult {
  numImages: number
  taps: TapStatistics[]
}

export interface CkaGramsResult {
  /** Images in the Grams: batches × n. */
  numImages: number
  /** Selected images left out because they did not fill a last batch. */
  droppedImages: number
  n: number
  batches: number
  spatialPooling: SpatialPooling
  /** In the order of the 'grams' blob: float32 [taps][batches][n][n]. */
  taps: { key: string; shape: number[]; features: number }[]
  /** sha256 of the 'batch-order' blob (int32 positions in the selection, batch after batch). */
  orderSha256: string
}

export type CkaEstimatorName = 'minibatch' | 'linear' | 'debiased'

/** Layer × layer within a checkpoint, checkpoint vs checkpoint, or a run's timeline. */
export interface CkaRequest {
  kind: 'within' | 'pair' | 'timeline'
  /** within: one; pair: two (rows, then columns); timeline: checkpoints in epoch order. */
  checkpointIds: number[]
  /** timeline: each tap is compared with the same tap of this checkpoint (null: the last). */
  referenceId: number | null
  /** timeline: the layer of the epoch × epoch grid (null: the last tap). */
  gridLayer: string | null
  dataset: DatasetRequest
  preprocessing: Preprocessing | null
  taps: string[] | null
  estimator: CkaEstimatorName
  /** minibatch: images per batch (n). linear/debiased: null, one batch of the whole selection. */
  batchSize: number | null
  orderSeed: number
  spatialPooling: SpatialPooling
  provider: ExecutionProvider
}

export interface CkaMatrix {
  rowLabel: string
  columnLabel: string
  rowKeys: string[]
  columnKeys: string[]
  /** null where CKA is undefined (a constant tap, NaN activations): shown as n/a. */
  values: (number | null)[][]
}

export interface CkaTimeline {
  referenceId: number
  checkpointIds: number[]
  labels: string[]
  series: { key: string; values: (number | null)[] }[]
}

export interface CkaResult {
  request: CkaRequest
  labels: string[]
  n: number
  batches: number
  numImages: number
  droppedImages: number
  spatialPooling: SpatialPooling
  /** within/pair: one matrix; timeline: the epoch × epoch grid of `gridLayer`. */
  matrices: CkaMatrix[]
  timeline: CkaTimeline | null
  /** The stored Gram results the values come from, one per checkpoint. */
  gramResultIds: number[]
  /** Why some values are n/a. */
  notes: string[]
}

/** The CKA values when every checkpoint's Grams are stored; else the jobs that compute them. */
export interface CkaStart {
  result: CkaResult | null
  jobs: JobInfo[]
}

export interface ResultInfo<P = unknown> {
  id: number
  jobId: number | null
  kind: JobKind
  checkpointId: number | null
  datasetId: number | null
  requestHash: string
  provenance: Provenance
  payload: P
  /** true when an identical earlier request answered. */
  isCached: boolean
}

/** A stored result without its payload: what lists and the provenance panel need. */
export interface ResultSummary {
  id: number
  jobId: number | null
  kind: JobKind
  checkpointId: number | null
  runId: number | null
  datasetId: number | null
  datasetName: string | null
  createdAt: string
  /** A few numbers that identify it in a list: top1/nll/ece for evaluations, taps for stats. */
  headline: Record<string, number>
  provenance: Provenance
}

export interface ResultFilter {
  runId?: number
  checkpointId?: number
  kind?: JobKind
}

/** What a job will take before it starts: images after selection, batches, and seconds. */
export interface JobEstimate {
  numImages: number
  batchSize: number
  /** null until this workspace has timed a job on a model of similar size. */
  seconds: number | null
  /** One sentence on where the estimate comes from. */
  basis: string
}

export interface RunPatch {
  name?: string
  tags?: string[]
  notes?: string
}

export interface ExampleReport {
  workspace: WorkspaceInfo
  runId: number
  dataset: DatasetEntry
}

/** A chart the desktop app, the browser and the CLI all render the same way (ECharts SSR). */
export type ChartKind =
  | 'metric-curves'
  | 'reliability'
  | 'confusion'
  | 'per-class'
  | 'layer-bars'
  | 'tap-histogram'
  | 'matrix'

/**
 * A matrix drawn as a heatmap from values given with the request ('matrix' charts): CKA values,
 * computed on demand from the stored Grams, are no stored result of their own.
 */
export interface ChartMatrix {
  rowKeys: string[]
  columnKeys: string[]
  /** values[row][column]; null: n/a (drawn grey). */
  values: (number | null)[][]
  valueName: string
  /** The colour scale; null: from the values. */
  min: number | null
  max: number | null
  mode: 'absolute' | 'difference'
}

export interface ChartExportRequest {
  chart: ChartKind
  /** Results shown side by side; the first is the baseline when `baselineResultId` is null. */
  resultIds: number[]
  baselineResultId: number | null
  /** Runs for 'metric-curves'. */
  runIds: number[]
  /** View options, e.g. { metric: 'accuracy' }, { tap: 'layer2.1' }, { mode: 'difference' }. */
  options: Record<string, string | number | boolean>
  /** The values of a 'matrix' chart. */
  matrix?: ChartMatrix
  theme: 'light' | 'dark'
  format: 'svg' | 'png'
  width: number
  height: number
}

export interface ExportedFile {
  fileName: string
  mimeType: string
  /** Text for SVG, CSV and JSON; base64 for PNG. */
  content: string
  encoding: 'utf8' | 'base64'
  /** Where it was written, when an output path was given. */
  path: string | null
}

export interface BulkExportReport {
  path: string
  rows: number
  results: number
}

export type PickKind = 'folder' | 'model' | 'save'

export interface PickRequest {
  kind: PickKind
  title: string
  defaultPath: string | null
}

export interface HostInfo {
  kind: 'electron' | 'web'
  /** Electron has native dialogs; the browser uses the folder browser (`fs:list`). */
  hasNativeDialogs: boolean
  platform: string
  /** Workspaces opened before, newest first. */
  recentWorkspaces: string[]
}

export type ListedKind = 'folder' | 'model' | 'image' | 'idx' | 'npy'

export interface ListedEntry {
  name: string
  path: string
  kind: ListedKind
  /** null for folders. */
  sizeBytes: number | null
}

export interface FolderListing {
  /** null when listing the allowed roots themselves. */
  path: string | null
  /** null at a root (or above). */
  parent: string | null
  entries: ListedEntry[]
}

export interface JobStart {
  job: JobInfo | null
  result: ResultInfo | null
}

export interface InvokeMap {
  'workspace:info': () => WorkspaceInfo
  'run:import': (folder: string) => ImportReport
  'run:list': () => RunInfo[]
  'run:get': (runId: number) => RunDetail
  'model:summary': (path: string) => ModelSummary
  'checkpoint:summary': (checkpointId: number) => ModelSummary
  'model:synth': (outPath: string, request: SynthRequest) => SynthReport
  /** Queues a job, or answers at once from an identical stored request (then `job` is null). */
  'job:start': (request: JobRequest) => JobStart
  /** Asks the process running the job (this one or another) to stop after its current batch. */
  'job:cancel': (jobId: number) => void
  'job:list': () => JobInfo[]
  'result:get': (resultId: number) => ResultInfo
  'result:list': (filter: ResultFilter) => ResultSummary[]
  /** Deletes a stored result; its blobs are collected when nothing else refers to them. */
  'result:delete': (resultId: number) => void
  /** Runs the result's request again (force); the new result replaces the old one when stored. */
  'result:recompute': (resultId: number) => JobStart
  'job:estimate': (request: JobRequest) => JobEstimate
  'run:update': (runId: number, patch: RunPatch) => RunInfo
  /** Opens (or creates) a workspace folder; refused while a job of this process runs. */
  'workspace:open': (folder: string) => WorkspaceInfo
  /** Creates the labeled-synthetic example workspace (default folder when null) and opens it. */
  'workspace:example': (folder: string | null) => ExampleReport
  'dataset:list': () => DatasetEntry[]
  /** Reads a labeled image set once (count, classes, fingerprint) and keeps it in the library. */
  'dataset:add': (request: DatasetRequest, name: string | null) => DatasetEntry
  /** Adds one model file outside any run as a checkpoint. */
  'checkpoint:open': (path: string) => CheckpointInfo
  'export:chart': (request: ChartExportRequest, outPath: string | null) => ExportedFile
  'export:data': (resultId: number, format: 'csv' | 'json', outPath: string | null) => ExportedFile
  /** Every result of a run (or of the workspace when null) as one tidy CSV. */
  'export:bulk': (runId: number | null, outPath: string) => BulkExportReport
  /** CKA from stored Grams; starts a Gram job for each checkpoint that has none on these batches. */
  'cka:compute': (request: CkaRequest) => CkaStart
  'host:info': () => HostInfo
  /** A native open/save dialog (Electron); null when cancelled. The web host uses `fs:list`. */
  'dialog:pick': (request: PickRequest) => string | null
  /** A folder inside the roots the user allowed (the web host's folder browser); null: the roots. */
  'fs:list': (path: string | null) => FolderListing
}

export type InvokeChannel = keyof InvokeMap

/** What the desktop app's menu asks the renderer to do (the same flows as its buttons). */
export type MenuAction =
  'open-run-folder' | 'open-checkpoint' | 'open-workspace' | 'create-example' | 'toggle-theme'

export interface EventMap {
  'job:progress': JobInfo
  /** Desktop only: a menu item the renderer carries out. */
  'menu:action': { action: MenuAction }
}

/** Runtime allowlist; `satisfies` fails the build if it drifts from InvokeMap. */
export const INVOKE_CHANNELS = {
  'workspace:info': true,
  'run:import': true,
  'run:list': true,
  'run:get': true,
  'model:summary': true,
  'checkpoint:summary': true,
  'model:synth': true,
  'job:start': true,
  'job:cancel': true,
  'job:list': true,
  'result:get': true,
  'result:list': true,
  'result:delete': true,
  'result:recompute': true,
  'job:estimate': true,
  'run:update': true,
  'workspace:open': true,
  'workspace:example': true,
  'dataset:list': true,
  'dataset:add': true,
  'checkpoint:open': true,
  'export:chart': true,
  'export:data': true,
  'export:bulk': true,
  'cka:compute': true,
  'host:info': true,
  'dialog:pick': true,
  'fs:list': true,
} as const satisfies Record<InvokeChannel, true>

export const ERROR_CODES = [
  // model files
  'NOT_FOUND',
  'NOT_ONNX',
  'TRUNCATED',
  'EMPTY_GRAPH',
  'NOT_IMAGE_CLASSIFIER',
  'UNSUPPORTED_OPERATOR',
  'UNSUPPORTED_DTYPE',
  'UNSUPPORTED_OPSET',
  'EXTERNAL_DATA_MISSING',
  'SHAPE_MISMATCH',
  'SHAPE_INFERENCE_FAILED',
  // run folders
  'RUN_FOLDER_EMPTY',
  'RUN_FOLDER_GAP',
  'METRICS_MALFORMED',
  'RUN_JSON_MALFORMED',
  // workspace
  'DB_FROM_FUTURE',
  'DB_CORRUPT',
  'DB_LOCKED',
  'DISK_FULL',
  'NOT_IN_WORKSPACE',
  // datasets and images
  'DATASET_EMPTY',
  'DATASET_MALFORMED',
  'IMAGE_UNREADABLE',
  'PREPROCESSING_MISSING',
  // engine and jobs
  'PROVIDER_UNAVAILABLE',
  'ENGINE_CRASHED',
  'JOB_CANCELLED',
  'JOB_NOT_FOUND',
  // requests
  'INVALID_ARGUMENT',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface IpcError {
  code: ErrorCode
  message: string
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError }

export interface WorkbenchApi {
  invoke<C extends InvokeChannel>(
    channel: C,
    ...args: Parameters<InvokeMap[C]>
  ): Promise<IpcResult<ReturnType<InvokeMap[C]>>>
  on<E extends keyof EventMap>(event: E, listener: (payload: EventMap[E]) => void): () => void
}
