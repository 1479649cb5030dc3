import { reads } from './paths.ts'
import type { PathArgument } from './paths.ts'
import { channel, id, object } from './channels.ts'
import type { ChannelSpecs } from './channels.ts'
import type { DatasetRequest, Preprocessing } from './datasets.ts'
import type { IpcError } from './errors.ts'
import type { JobKind, JobRequest } from './index.ts'
import type { ResultInfo } from './results.ts'

/** `auto` picks CUDA on Linux x64 when its provider loads, DirectML on Windows, else CPU. */
export type ExecutionProvider = 'auto' | 'cuda' | 'dml' | 'cpu'

export interface CheckpointJobBase {
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

/** The requests of the job kinds that read images: they name a dataset (others read weights only). */
export type ImageJobRequest = Extract<JobRequest, { dataset: DatasetRequest }>

/** Whether a job reads images (its request names a dataset, a preprocessing and a batch size). */
export function readsImages(request: JobRequest): request is ImageJobRequest {
  return 'dataset' in request
}

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

/** What a job will take before it starts: images after selection, batches, and seconds. */
export interface JobEstimate {
  numImages: number
  batchSize: number
  /** null until this workspace has timed a job on a model of similar size. */
  seconds: number | null
  /** One sentence on where the estimate comes from. */
  basis: string
}

export interface JobStart {
  job: JobInfo | null
  result: ResultInfo | null
}

export interface JobsInvoke {
  /** Queues a job, or answers at once from an identical stored request (then `job` is null). */
  'job:start': (request: JobRequest) => JobStart
  /** Asks the process running the job (this one or another) to stop after its current batch. */
  'job:cancel': (jobId: number) => void
  'job:list': () => JobInfo[]
  'job:estimate': (request: JobRequest) => JobEstimate
}
/** A job request reads its model file (when it names one) and its dataset. */
const JOB_PATHS = [reads(0, 'modelPath'), reads(0, 'dataset', 'path')]

/** The job channels, given the paths analyses' requests name besides the model and dataset. */
export function jobsChannels(analysisPaths: readonly PathArgument[]) {
  const paths = [...JOB_PATHS, ...analysisPaths]
  return {
    'job:start': channel([object('request')], paths),
    'job:cancel': channel([id('jobId')]),
    'job:list': channel([]),
    'job:estimate': channel([object('request')], paths),
  } as const satisfies ChannelSpecs<JobsInvoke>
}
