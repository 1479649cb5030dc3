import { dirname, join } from 'node:path'
import type {
  DatasetRequest,
  ImageJobRequest,
  JobKind,
  JobRequest,
  Preprocessing,
  ProviderReport,
  RequestOf,
} from '../../electron/api/contract/index.ts'

/** The images a job reads: a kind whose request names no dataset reads weights only (nulls). */
type ImagesByKind = {
  [K in JobKind]: RequestOf<K> extends ImageJobRequest
    ? { preprocessing: Preprocessing; dataset: DatasetRequest }
    : { preprocessing: null; dataset: null }
}

/** A job as the engine receives it: the service has resolved the model file and preprocessing. */
export type ResolvedJob<R extends JobRequest = JobRequest> = ImagesByKind[R['kind']] & {
  jobId: number
  request: R
  modelPath: string
  modelSha256: string
  /** Where preprocessed-tensor cache files live (the workspace's); absent or null: no cache. */
  tensorCacheFolder?: string | null
}

/** The cache folder a job may use: only when its request asks for the tensor cache. */
export function tensorCacheFolderOf(job: ResolvedJob): string | null {
  const asks = 'useTensorCache' in job.request && job.request.useTensorCache === true
  return asks ? (job.tensorCacheFolder ?? null) : null
}

/**
 * Where corruption cells keep their decoded source images (beside the tensor cache, in the
 * workspace): always, as the cells give the same bits with or without it; null without a workspace.
 */
export function decodedCacheFolderOf(job: ResolvedJob): string | null {
  const tensors = job.tensorCacheFolder ?? null
  return tensors === null ? null : join(dirname(tensors), 'decoded')
}

export interface JobProgress {
  stage: string
  done: number
  total: number
}

export interface JobContext {
  signal: AbortSignal
  report: (progress: JobProgress) => void
}

/** What a job hands back besides its payload, for the result's provenance. */
export interface JobOutput<P> {
  payload: P
  providers: ProviderReport
  /** null for a job that reads no images. */
  datasetFingerprint: string | null
  batchSize: number
  parameters: Record<string, unknown>
  /** Large arrays the service writes to the workspace's blob store, referenced by role. */
  blobs?: { role: string; data: Uint8Array }[]
}

/** A job is a plain async function; the only safe cancel points are between ORT runs. */
export type JobHandler<R extends JobRequest, P> = (
  job: ResolvedJob<R>,
  context: JobContext,
) => Promise<JobOutput<P>>
