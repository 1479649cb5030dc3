import { dirname } from 'node:path'
import type {
  ActivationStatsRequest,
  ActivationStatsResult,
} from '../../../../electron/api/contract/index.ts'
import { openDataset, planPreprocessing } from '../../../data/index.ts'
import { openCachedBatches, tensorCacheParameters } from '../../../data/tensor-cache-batches.ts'
import type { Dataset } from '../../../data/index.ts'
import { loadModel, summarizeLoadedModel } from '../../../onnx/index.ts'
import type { RuntimeSession } from '../../../runtime/index.ts'
import { buildActivationGraph } from '../../../surgery/activation-graph.ts'
import { SeededRandom } from '../../../surgery/prng.ts'
import { tensorCacheFolderOf } from '../../job-types.ts'
import type { JobContext, JobHandler, JobOutput, ResolvedJob } from '../../job-types.ts'
import { engineSessions } from '../../sessions.ts'
import { ActivationGraphCache } from './graph-cache.ts'
import type { PreparedActivationGraph } from './graph-cache.ts'
import { activationOutputNames, collectActivationStats } from './runner.ts'
import type { ActivationRunPlan } from './runner.ts'
import { ActivationStatsError, activationSettings, samplingParameters } from './settings.ts'
import type { ActivationSettings } from './settings.ts'
import { drawSamplePositions } from './sampling.ts'
import { resolveActivationTaps } from '../shared/taps.ts'
import { chooseBatchSize } from '../shared/batch-size.ts'
import {
  assertModelTakesImages,
  assertOnlyImageInput,
  fixedBatchSize,
} from '../shared/input-check.ts'
import type { ImageShape } from '../shared/input-check.ts'

type StatsJob = ResolvedJob<ActivationStatsRequest>

const graphs = new ActivationGraphCache()

/**
 * Per-channel mean, std, max |x| and zero fraction at every requested tap, from reductions added
 * to the graph (the activations never leave ORT), plus sampled |x| histograms.
 */
export const activationStatsJob: JobHandler<ActivationStatsRequest, ActivationStatsResult> = async (
  job,
  context,
) => {
  const settings = activationSettings(job.request)
  const prepared = await preparedGraph(job)
  context.signal.throwIfAborted()
  const dataset = await openDataset(job.dataset)
  const image = preprocessedImageShape(job, dataset)
  assertModelTakesImages(prepared.summary, image)
  assertWholeFixedBatches(prepared, dataset)
  const lease = await engineSessions.acquire(prepared.bytes, {
    provider: job.request.provider,
    recordPlacement: true,
    externalDataFolder: dirname(job.modelPath),
  })
  try {
    return await runWithSession(job, context, { prepared, dataset, image, settings }, lease.session)
  } finally {
    await lease.release()
  }
}

function preparedGraph(job: StatsJob): Promise<PreparedActivationGraph> {
  const build = () => prepareActivationGraph(job.modelPath, job.request.taps)
  // Without a known hash (a model outside the workspace) there is nothing safe to key on.
  if (job.modelSha256 === '') return build()
  return graphs.get(job.modelSha256, job.request.taps, build)
}

async function prepareActivationGraph(
  modelPath: string,
  tapKeys: readonly string[] | null,
): Promise<PreparedActivationGraph> {
  const loaded = await loadModel(modelPath)
  const summary = summarizeLoadedModel(loaded)
  const taps = resolveActivationTaps(summary, tapKeys, loaded.model.graph)
  const graph = buildActivationGraph(loaded.model, taps)
  return { summary, graph, bytes: graph.encodeAppendedTo(loaded.bytes) }
}

interface OpenedStats {
  prepared: PreparedActivationGraph
  dataset: Dataset
  image: ImageShape
  settings: ActivationSettings
}

async function runWithSession(
  job: StatsJob,
  context: JobContext,
  { prepared, dataset, image, settings }: OpenedStats,
  session: RuntimeSession,
): Promise<JobOutput<ActivationStatsResult>> {
  const plan: ActivationRunPlan = {
    graph: prepared.graph,
    imageInput: prepared.summary.inputs[0]?.name ?? session.inputNames[0],
    samplesPerBatch: settings.samplesPerBatch,
    binning: settings.binning,
    seed: settings.seed,
  }
  const modelInputs = session.inputNames.filter((name) => name !== plan.graph.drawsInput)
  assertOnlyImageInput(prepared.summary.fileName, modelInputs, plan.imageInput)
  const sizing = { prepared, session, plan, image, datasetSize: dataset.size }
  const batchSize = await sizeBatches(job, context.signal, sizing)
  const batches = await openCachedBatches(dataset, {
    preprocessing: job.preprocessing,
    batchSize,
    cacheFolder: tensorCacheFolderOf(job),
  })
  const loader = batches.loader
  try {
    const payload = await collectActivationStats(session, plan, loader, dataset.size, context)
    return {
      payload,
      providers: session.providerReport(),
      datasetFingerprint: dataset.info.fingerprint,
      batchSize,
      parameters: {
        ...samplingParameters(
          settings,
          plan.graph.taps.map((tap) => tap.key),
        ),
        ...tensorCacheParameters(batches.report()),
      },
    }
  } finally {
    await loader.close()
  }
}

function preprocessedImageShape(job: StatsJob, dataset: Dataset): ImageShape {
  const plan = planPreprocessing(job.preprocessing, dataset.channels)
  return { channels: plan.channels, height: plan.height, width: plan.width }
}

/** Padding a short batch would add blank images to the statistics, so it is refused instead. */
function assertWholeFixedBatches(prepared: PreparedActivationGraph, dataset: Dataset): void {
  const fixed = fixedBatchSize(prepared.summary)
  if (fixed === null || dataset.size % fixed === 0) return
  throw new ActivationStatsError(
    `'${prepared.summary.fileName}' takes batches of exactly ${fixed} images and ${dataset.size} is not a multiple of ${fixed}: padding would add blank images to the statistics. Set the dataset limit to a multiple of ${fixed}, or export the model with a dynamic batch dimension.`,
  )
}

interface SizingInputs {
  prepared: PreparedActivationGraph
  session: RuntimeSession
  plan: ActivationRunPlan
  image: ImageShape
  datasetSize: number
}

/** Time-sized batches (about a second each), timed on the statistics graph itself. */
function sizeBatches(
  job: StatsJob,
  signal: AbortSignal,
  { prepared, session, plan, image, datasetSize }: SizingInputs,
): Promise<number> {
  const draws = drawSamplePositions(new SeededRandom(0, 'batch sizing'), plan.samplesPerBatch)
  const outputNames = activationOutputNames(plan.graph)
  return chooseBatchSize({
    requested: job.request.batchSize,
    fixedBatch: fixedBatchSize(prepared.summary),
    datasetSize,
    runImages: async (size) => {
      signal.throwIfAborted()
      const dims = [size, image.channels, image.height, image.width]
      const data = new Float32Array(dims.reduce((a, b) => a * b, 1))
      const feeds = {
        [plan.imageInput]: { data, dims },
        [plan.graph.drawsInput]: { data: draws, dims: [draws.length] },
      }
      await session.run(feeds, outputNames)
    },
  })
}
