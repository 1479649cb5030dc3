import type {
  EvaluateRequest,
  EvaluationResult,
  ModelSummary,
} from '../../../../electron/api/contract/index.ts'
import {
  createEvaluationAccumulator,
  ECE_BIN_COUNT,
  TOP_K,
} from '../../../analysis/evaluate/evaluation.ts'
import { encodePerImage, PER_IMAGE_BLOB } from '../../../analysis/evaluate/per-image.ts'
import { openDataset, planPreprocessing } from '../../../data/index.ts'
import type { Dataset } from '../../../data/index.ts'
import { openCachedBatches, tensorCacheParameters } from '../../../data/tensor-cache-batches.ts'
import type { CachedBatches } from '../../../data/tensor-cache-batches.ts'
import {
  decodedCacheParameters,
  openCorruptedBatches,
} from '../../../data/decoded-cache-batches.ts'
import { summarizeModel } from '../../../onnx/index.ts'
import type { RuntimeSession } from '../../../runtime/index.ts'
import { engineSessions } from '../../sessions.ts'
import { decodedCacheFolderOf, tensorCacheFolderOf } from '../../job-types.ts'
import type { JobContext, JobHandler, JobOutput, ResolvedJob } from '../../job-types.ts'
import { chooseBatchSize } from '../shared/batch-size.ts'
import { classifierFeed, forEachOutputBatch, runBlankImages } from './batches.ts'
import type { ClassifierFeed, OutputBatch } from './batches.ts'
import {
  assertModelTakesImages,
  assertOnlyImageInput,
  assertOutputsCoverClasses,
} from '../shared/input-check.ts'
import type { ImageShape } from '../shared/input-check.ts'

type EvaluateJob = ResolvedJob<EvaluateRequest>

/** Top-1/top-5, NLL, 15-bin ECE with reliability data, confusion matrix and per-class accuracy. */
export const evaluateJob: JobHandler<EvaluateRequest, EvaluationResult> = (job, context) =>
  runEvaluation(job, context)

/**
 * The evaluation job, with an optional look at every batch of raw outputs (tests compare them
 * with PyTorch's); the result keeps only counters, so any dataset size fits in memory.
 */
export async function runEvaluation(
  job: EvaluateJob,
  context: JobContext,
  observe?: (batch: OutputBatch) => void,
): Promise<JobOutput<EvaluationResult>> {
  const summary = await summarizeModel(job.modelPath)
  const dataset = await openDataset(job.dataset)
  assertOutputsCoverClasses(summary, dataset.info.classes)
  const image = preprocessedImageShape(job, dataset)
  assertModelTakesImages(summary, image)
  context.signal.throwIfAborted()
  const lease = await engineSessions.acquire(job.modelPath, {
    provider: job.request.provider,
    recordPlacement: true,
  })
  const session = lease.session
  try {
    return await evaluateWithSession(job, context, { summary, dataset, image, session }, observe)
  } finally {
    await lease.release()
  }
}

interface OpenedEvaluation {
  summary: ModelSummary
  dataset: Dataset
  image: ImageShape
  session: RuntimeSession
}

async function evaluateWithSession(
  job: EvaluateJob,
  context: JobContext,
  { summary, dataset, image, session }: OpenedEvaluation,
  observe?: (batch: OutputBatch) => void,
): Promise<JobOutput<EvaluationResult>> {
  const feed = classifierFeed(job.modelPath, summary, session, dataset)
  assertOnlyImageInput(feed.fileName, session.inputNames, feed.inputName)
  const batchSize = await sizeBatches(job, context.signal, feed, { image, size: dataset.size })
  const accumulator = createEvaluationAccumulator({
    classes: dataset.info.classes,
    numOutputs: summary.numClasses,
    hasTrailingSoftmax: summary.hasTrailingSoftmax,
    perImageCount: dataset.size,
  })
  const batches = await openBatches(job, dataset, batchSize)
  const loader = batches.loader
  try {
    await forEachOutputBatch(feed, loader, dataset.size, context, (outputBatch) => {
      observe?.(outputBatch)
      accumulator.add(outputBatch.outputs, outputBatch.batch.labels, outputBatch.batch.positions)
    })
  } finally {
    await loader.close()
  }
  return {
    payload: accumulator.result(),
    providers: session.providerReport(),
    datasetFingerprint: dataset.info.fingerprint,
    batchSize,
    parameters: { ...evaluationParameters(summary), ...cacheParameters(job, batches) },
    blobs: [{ role: PER_IMAGE_BLOB, data: encodePerImage(accumulator.perImage()!) }],
  }
}

/** Clean images may come from the tensor cache; a corruption cell's from the decoded-image cache. */
function openBatches(
  job: EvaluateJob,
  dataset: Dataset,
  batchSize: number,
): Promise<CachedBatches> {
  const corruption = job.request.corruption ?? null
  const preprocessing = job.preprocessing
  if (corruption === null)
    return openCachedBatches(dataset, {
      ...{ preprocessing, batchSize, cacheFolder: tensorCacheFolderOf(job) },
    })
  return openCorruptedBatches(dataset, {
    ...{ preprocessing, batchSize, corruption, cacheFolder: decodedCacheFolderOf(job) },
  })
}

function cacheParameters(job: EvaluateJob, batches: CachedBatches): Record<string, string> {
  const report = batches.report()
  return (job.request.corruption ?? null) === null
    ? tensorCacheParameters(report)
    : { tensorCache: 'off', ...decodedCacheParameters(report) }
}

function preprocessedImageShape(job: EvaluateJob, dataset: Dataset): ImageShape {
  const plan = planPreprocessing(job.preprocessing, dataset.channels)
  return { channels: plan.channels, height: plan.height, width: plan.width }
}

function sizeBatches(
  job: EvaluateJob,
  signal: AbortSignal,
  feed: ClassifierFeed,
  images: { image: ImageShape; size: number },
): Promise<number> {
  return chooseBatchSize({
    requested: job.request.batchSize,
    fixedBatch: feed.fixedBatch,
    datasetSize: images.size,
    runImages: (size) => {
      signal.throwIfAborted()
      return runBlankImages(feed, images.image, size)
    },
  })
}

function evaluationParameters(summary: ModelSummary): Record<string, unknown> {
  return {
    eceBins: ECE_BIN_COUNT,
    topK: Math.min(TOP_K, summary.numClasses),
    outputsAreProbabilities: summary.hasTrailingSoftmax,
  }
}
