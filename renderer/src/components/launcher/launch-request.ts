import type {
  DatasetRequest,
  ExecutionProvider,
  JobRequest,
  ResultSummary,
} from '../../../../electron/api/contract/index.ts'
import type { LaunchKind } from '../common/format.ts'

/** Everything the launcher asks besides the checkpoints and the image set. */
export interface LaunchParams {
  kind: LaunchKind
  /** Seeded sample size per kind; null: every image of the set. */
  sampleCount: Record<LaunchKind, number | null>
  sampleSeed: number
  batchSize: number | null
  provider: ExecutionProvider
  useTensorCache: boolean
  /** Comma-separated layer keys; empty: every block output and the pooled features. */
  taps: string
  histogramSamplesPerBatch: number
  histogramBins: number
  seed: number
}

// Sized for a 2-core CPU: a ResNet50 at 32² runs about 150-300 images/s, so an evaluation of
// 1000 images takes a few seconds and activation statistics on 256 images about as long.
export function defaultLaunchParams(kind: LaunchKind): LaunchParams {
  return {
    kind,
    sampleCount: { evaluate: 1000, 'activation-stats': 256 },
    sampleSeed: 0,
    batchSize: null,
    provider: 'auto',
    useTensorCache: false,
    taps: '',
    histogramSamplesPerBatch: 4096,
    histogramBins: 64,
    seed: 0,
  }
}

export function parseTaps(text: string): string[] | null {
  const keys = text
    .split(/[\s,]+/)
    .map((key) => key.trim())
    .filter(Boolean)
  return keys.length === 0 ? null : keys
}

/** The job request for one checkpoint; `dataset` is the chosen set without sample or limit. */
export function buildRequest(
  params: LaunchParams,
  checkpointId: number,
  dataset: DatasetRequest,
): JobRequest {
  const count = params.sampleCount[params.kind]
  const base = {
    checkpointId,
    modelPath: null,
    dataset: {
      ...dataset,
      sample: count === null ? null : { count, seed: params.sampleSeed },
      limit: null,
    },
    preprocessing: null,
    batchSize: params.batchSize,
    provider: params.provider,
    useTensorCache: params.useTensorCache,
  }
  if (params.kind === 'evaluate') return { ...base, kind: 'evaluate' }
  return {
    ...base,
    kind: 'activation-stats',
    taps: parseTaps(params.taps),
    histogramSamplesPerBatch: params.histogramSamplesPerBatch,
    histogramBins: params.histogramBins,
    seed: params.seed,
  }
}

/** The request that computes a missing result on exactly the images and preprocessing of `like`. */
export function requestLike(like: ResultSummary, checkpointId: number): JobRequest {
  const p = like.provenance
  const base = {
    checkpointId,
    modelPath: null,
    dataset: p.dataset,
    preprocessing: p.preprocessing,
    batchSize: null,
    provider: p.providers.requested,
  }
  if (like.kind === 'evaluate') return { ...base, kind: 'evaluate' }
  const params = p.parameters as {
    taps?: string[] | null
    histogramSamplesPerBatch?: number
    histogramBins?: number
    seed?: number
  }
  return {
    ...base,
    kind: 'activation-stats',
    taps: params.taps ?? null,
    histogramSamplesPerBatch: params.histogramSamplesPerBatch ?? 4096,
    histogramBins: params.histogramBins ?? 64,
    seed: params.seed ?? 0,
  }
}
