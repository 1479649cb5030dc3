import type {
  CheckpointJobBase,
  DatasetRequest,
  ExecutionProvider,
  JobKind,
  JobRequest,
  ResultSummary,
} from '../../../../electron/api/contract/index.ts'
import { launcherOf, launchers } from '../../analyses/index.ts'

export { parseTaps } from '@analysis/shared/tap-list.ts'

/** Everything the launcher asks besides the checkpoints and the image set. */
export interface LaunchParams {
  kind: JobKind
  /** Seeded sample size per kind; null: every image of the set. */
  sampleCount: Partial<Record<JobKind, number | null>>
  sampleSeed: number
  batchSize: number | null
  provider: ExecutionProvider
  useTensorCache: boolean
  /** Each launched kind's own parameters (its launcher entry's fieldset), kept across switches. */
  options: Partial<Record<JobKind, unknown>>
}

// Sized for a 2-core CPU: each launcher entry proposes a sample that takes a few seconds.
export function defaultLaunchParams(kind: JobKind): LaunchParams {
  return {
    kind,
    sampleCount: Object.fromEntries(launchers.map((l) => [l.kind, l.sampleCount])),
    sampleSeed: 0,
    batchSize: null,
    provider: 'auto',
    useTensorCache: false,
    options: Object.fromEntries(launchers.map((l) => [l.kind, l.defaults()])),
  }
}

/** The job request for one checkpoint; `dataset` is the chosen set without sample or limit. */
export function buildRequest(
  params: LaunchParams,
  checkpointId: number,
  dataset: DatasetRequest,
): JobRequest {
  const entry = launcherOf(params.kind)
  const count = params.sampleCount[params.kind] ?? null
  const base: CheckpointJobBase = {
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
  return entry.request(base, params.options[params.kind] ?? entry.defaults())
}

/** The request that computes a missing result on exactly the images and preprocessing of `like`. */
export function requestLike(like: ResultSummary, checkpointId: number): JobRequest {
  const p = like.provenance
  const base: CheckpointJobBase = {
    checkpointId,
    modelPath: null,
    dataset: p.dataset!,
    preprocessing: p.preprocessing,
    batchSize: null,
    provider: p.providers.requested,
  }
  return launcherOf(like.kind).requestLike(base, p.parameters)
}
