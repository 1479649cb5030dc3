import { createHash } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import type {
  CorruptionCell,
  DatasetRequest,
  FeatureSource,
  ImageJobRequest,
  ProviderReport,
} from '../../../../electron/api/contract/index.ts'
import { openDataset, planPreprocessing } from '../../../data/index.ts'
import type { Dataset } from '../../../data/index.ts'
import { openCachedBatches, tensorCacheKey } from '../../../data/tensor-cache-batches.ts'
import { openCorruptedBatches } from '../../../data/decoded-cache-batches.ts'
import type { CachedBatches } from '../../../data/tensor-cache-batches.ts'
import { createFeatureCacheWriter, readFeatureCacheFile } from '../../../data/feature-cache-file.ts'
import type { FeatureCacheHeader } from '../../../data/feature-cache-file.ts'
import type { RuntimeSession } from '../../../runtime/index.ts'
import { decodedCacheFolderOf, tensorCacheFolderOf } from '../../job-types.ts'
import type { JobContext, ResolvedJob } from '../../job-types.ts'
import { engineSessions } from '../../sessions.ts'
import {
  assertModelTakesImages,
  assertOnlyImageInput,
  fixedBatchSize,
} from '../shared/input-check.ts'
import type { FeatureModel } from './feature-model.ts'

const FEATURE_CACHE_VERSION = 1

type ImageJob = ResolvedJob<ImageJobRequest>

/** One image set's features and labels, and how they were obtained. */
export interface FeatureSet {
  features: Float32Array
  labels: Int32Array
  size: number
  dim: number
  classes: string[]
  fingerprint: string
  source: FeatureSource
  /** The feature cache file's name in the workspace's features folder; null without a workspace. */
  file: string | null
  /** The session's providers when forward passes ran; null on a cache hit. */
  providers: ProviderReport | null
}

export interface FeatureSetSpec {
  dataset: DatasetRequest
  corruption: CorruptionCell | null
  /** Names the set in progress stages ('train', 'test', a domain). */
  label: string
}

/** Where feature cache files live: beside the tensor cache, in the workspace. */
export function featureCacheFolderOf(job: ResolvedJob): string | null {
  const tensors = job.tensorCacheFolder ?? null
  return tensors === null ? null : join(dirname(tensors), 'features')
}

function featureCacheKey(
  job: ImageJob,
  model: FeatureModel,
  dataset: Dataset,
  spec: FeatureSetSpec,
) {
  const identity = {
    version: FEATURE_CACHE_VERSION,
    model: model.modelSha256,
    images: tensorCacheKey(dataset, job.preprocessing),
    corruption: spec.corruption,
    tensor: model.tensor,
    pooling: model.pooling,
  }
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex')
}

/**
 * The features of every selected image: read from the workspace's feature cache, or computed by
 * forward passes and cached (once per checkpoint, selection, preprocessing, corruption and layer).
 */
export async function openFeatureSet(
  job: ImageJob,
  model: FeatureModel,
  spec: FeatureSetSpec,
  context: JobContext,
): Promise<FeatureSet> {
  const dataset = await openDataset({
    ...spec.dataset,
    classes: spec.dataset.classes ?? job.dataset.classes,
  })
  const folder = featureCacheFolderOf(job)
  const key = featureCacheKey(job, model, dataset, spec)
  const file = folder === null ? null : join(folder, `${key}.features`)
  const base = {
    classes: dataset.info.classes,
    fingerprint: dataset.info.fingerprint,
    file: file === null ? null : basename(file),
  }
  if (file !== null) {
    const cached = await readFeatureCacheFile(file, { key, size: dataset.size })
    if (cached !== null)
      return { ...cached, ...base, source: source('hit', 0, cached, spec), providers: null }
  }
  const computed = await computeFeatures(job, model, dataset, spec, context)
  const stored = file !== null && (await storeFeatures(file, { key, ...computed }, computed))
  return {
    ...computed,
    ...base,
    file: stored ? base.file : null,
    source: source('computed', computed.size, computed, spec),
  }
}

function source(
  cache: FeatureSource['cache'],
  forwardPasses: number,
  set: { size: number; dim: number },
  spec: FeatureSetSpec,
): FeatureSource {
  return { cache, forwardPasses, numImages: set.size, dim: set.dim, corruption: spec.corruption }
}

/**
 * Writes the cache file; false when it cannot be written (a full disk, a read-only workspace):
 * the analysis goes on with the features in memory, and the next one computes them again.
 */
async function storeFeatures(
  file: string,
  header: FeatureCacheHeader,
  set: { features: Float32Array; labels: Int32Array },
): Promise<boolean> {
  const writer = await createFeatureCacheWriter(file, header).catch(() => null)
  if (writer === null) return false
  try {
    await writer.append(set.features)
    await writer.finish(set.labels)
    return true
  } catch {
    await writer.abort().catch(() => undefined)
    return false
  }
}

interface ComputedFeatures {
  features: Float32Array
  labels: Int32Array
  size: number
  dim: number
  providers: ProviderReport
}

async function computeFeatures(
  job: ImageJob,
  model: FeatureModel,
  dataset: Dataset,
  spec: FeatureSetSpec,
  context: JobContext,
): Promise<ComputedFeatures> {
  const plan = planPreprocessing(job.preprocessing, dataset.channels)
  assertModelTakesImages(model.summary, plan)
  const lease = await engineSessions.acquire(model.bytes, {
    provider: job.request.provider,
    recordPlacement: true,
    externalDataFolder: model.externalDataFolder,
  })
  try {
    const fixed = fixedBatchSize(model.summary)
    const batchSize =
      fixed ?? job.request.batchSize ?? (plan.height * plan.width <= 64 * 64 ? 128 : 16)
    const batches = await openBatches(job, dataset, spec.corruption, batchSize)
    try {
      return await runBatches(model, lease.session, batches, { dataset, spec, context, fixed })
    } finally {
      await batches.loader.close()
    }
  } finally {
    await lease.release()
  }
}

function openBatches(
  job: ImageJob,
  dataset: Dataset,
  corruption: CorruptionCell | null,
  batchSize: number,
): Promise<CachedBatches> {
  const preprocessing = job.preprocessing
  if (corruption === null)
    return openCachedBatches(dataset, {
      preprocessing,
      batchSize,
      cacheFolder: tensorCacheFolderOf(job),
    })
  return openCorruptedBatches(dataset, {
    ...{ preprocessing, batchSize, corruption, cacheFolder: decodedCacheFolderOf(job) },
  })
}

async function runBatches(
  model: FeatureModel,
  session: RuntimeSession,
  batches: CachedBatches,
  run: { dataset: Dataset; spec: FeatureSetSpec; context: JobContext; fixed: number | null },
): Promise<ComputedFeatures> {
  const imageInput = model.summary.inputs[0]?.name ?? session.inputNames[0]
  assertOnlyImageInput(model.summary.fileName, session.inputNames, imageInput)
  const { dataset, spec, context, fixed } = run
  const stage = `features: ${spec.label}`
  let features: Float32Array | null = null
  let dim = 0
  let done = 0
  context.report({ stage, done, total: dataset.size })
  for await (const batch of batches.loader) {
    context.signal.throwIfAborted()
    const count = batch.dims[0]
    const padded =
      fixed !== null && count < fixed ? padBatch(batch.images, batch.dims, fixed) : null
    const dims = padded === null ? batch.dims : [fixed!, ...batch.dims.slice(1)]
    const outputs = await session.run({ [imageInput]: { data: padded ?? batch.images, dims } }, [
      model.output,
    ])
    const values = outputs[model.output].data
    dim = values.length / dims[0]
    features ??= new Float32Array(dataset.size * dim)
    batch.positions.forEach((position, i) =>
      features!.set(values.subarray(i * dim, (i + 1) * dim), position * dim),
    )
    done += count
    context.report({ stage, done, total: dataset.size })
  }
  return {
    features: features ?? new Float32Array(0),
    labels: dataset.labels.slice(),
    size: dataset.size,
    dim,
    providers: session.providerReport(),
  }
}

function padBatch(images: Float32Array, dims: readonly number[], fixed: number): Float32Array {
  const perImage = images.length / dims[0]
  const padded = new Float32Array(fixed * perImage)
  padded.set(images)
  return padded
}

/** The providers of the sets that ran forward passes; a note when every set came from the cache. */
export function featureProviders(
  sets: readonly Pick<FeatureSet, 'providers'>[],
  requested: ProviderReport['requested'],
): ProviderReport {
  const ran = sets.find((set) => set.providers !== null)?.providers
  return (
    ran ?? {
      requested,
      attached: [],
      nodePlacement: {},
      fallbackReason: 'every feature set was read from the feature cache: no forward pass ran',
    }
  )
}
