import { dirname } from 'node:path'
import type {
  GradientsRequest,
  GradientsResult,
  ProviderReport,
} from '../../../../electron/api/contract/index.ts'
import { countTop1Correct } from '../../../analysis/evaluate/classifier-rows.ts'
import { openDataset, planPreprocessing } from '../../../data/index.ts'
import type { Dataset } from '../../../data/index.ts'
import { openCachedBatches } from '../../../data/tensor-cache-batches.ts'
import { analyzeModel, buildSummary, loadModel } from '../../../onnx/index.ts'
import type { ModelAnalysis } from '../../../onnx/index.ts'
import { openGradientSession } from '../../../runtime/gradient-session.ts'
import type { GradientSession } from '../../../runtime/gradient-session.ts'
import { buildBackwardGraph } from '../../../surgery/backward/backward-graph.ts'
import { tensorCacheFolderOf } from '../../job-types.ts'
import type { JobContext, JobHandler, JobOutput, ResolvedJob } from '../../job-types.ts'
import { assertModelTakesImages, assertOutputsCoverClasses } from '../shared/input-check.ts'
import { EvaluationError } from '../shared/job-errors.ts'
import { gradientStatistics } from './gradient-statistics.ts'
import type { BatchGradients } from './gradient-statistics.ts'
import { namedParameters } from './named-parameters.ts'

type GradientsJob = ResolvedJob<GradientsRequest>

const STAGE = 'forward + backward'

/**
 * Loss gradient norms at a checkpoint: a backward graph of standard ONNX ops (BatchNorm in
 * inference mode) run on every full batch of `gradientBatch` images; per batch the norm of every
 * parameter's gradient (and of every block output's), then mean and spread over batches.
 */
export const gradientsJob: JobHandler<GradientsRequest, GradientsResult> = async (job, context) => {
  const analysis = analyzeModel(await loadModel(job.modelPath))
  const dataset = await openImages(job, analysis)
  const buildStarted = performance.now()
  const graph = buildBackwardGraph(analysis, {
    parameterOutput: 'norm',
    blockOutputNorms: job.request.blockOutputs,
  })
  const sessionStarted = performance.now()
  context.signal.throwIfAborted()
  const session = await openGradientSession(graph, {
    provider: job.request.provider,
    externalDataFolder: dirname(job.modelPath),
    recordPlacement: true,
  })
  const passesStarted = performance.now()
  try {
    const passes = await runBatches(job, dataset, session, context)
    const timings = {
      build: sessionStarted - buildStarted,
      session: passesStarted - sessionStarted,
      passes: performance.now() - passesStarted,
    }
    return gradientsOutput(job, { analysis, dataset, session, ...passes, timings })
  } finally {
    await session.release()
  }
}

async function openImages(job: GradientsJob, analysis: ModelAnalysis): Promise<Dataset> {
  const summary = buildSummary(analysis)
  const dataset = await openDataset(job.dataset)
  assertOutputsCoverClasses(summary, dataset.info.classes)
  assertModelTakesImages(summary, planPreprocessing(job.preprocessing, dataset.channels))
  const { gradientBatch } = job.request
  if (dataset.size < gradientBatch) {
    throw new EvaluationError(
      `A gradient batch is ${gradientBatch} images but the dataset selects ${dataset.size}: choose a smaller gradientBatch or more images.`,
    )
  }
  return dataset
}

interface Passes {
  batches: BatchGradients[]
  /** Images of a last partial batch, left out. */
  droppedImages: number
}

async function runBatches(
  job: GradientsJob,
  dataset: Dataset,
  session: GradientSession,
  context: JobContext,
): Promise<Passes> {
  const { gradientBatch } = job.request
  const total = Math.floor(dataset.size / gradientBatch)
  const { loader } = await openCachedBatches(dataset, {
    preprocessing: job.preprocessing,
    batchSize: gradientBatch,
    cacheFolder: tensorCacheFolderOf(job),
  })
  const batches: BatchGradients[] = []
  let droppedImages = 0
  context.report({ stage: STAGE, done: 0, total })
  try {
    for await (const batch of loader) {
      context.signal.throwIfAborted()
      if (batch.dims[0] < gradientBatch) {
        droppedImages += batch.dims[0]
        continue
      }
      const result = await session.run(batch.images, batch.dims, batch.labels)
      batches.push({ ...result, correct: countTop1Correct(result.logits, batch.labels) })
      assertFiniteNorms(batches.at(-1)!, batches.length)
      context.report({ stage: STAGE, done: batches.length, total })
    }
  } finally {
    await loader.close()
  }
  return { batches, droppedImages }
}

function assertFiniteNorms(batch: BatchGradients, index: number): void {
  const values = [batch.loss, ...batch.parameterNorms, ...batch.blockNorms]
  if (values.every(Number.isFinite)) return
  throw new EvaluationError(
    `Batch ${index} gave a non-finite loss or gradient norm (loss ${batch.loss}); a diverged checkpoint cannot be differentiated.`,
  )
}

interface GradientRun extends Passes {
  analysis: ModelAnalysis
  dataset: Dataset
  session: GradientSession
  timings: GradientsResult['timings']
}

function gradientsOutput(job: GradientsJob, run: GradientRun): JobOutput<GradientsResult> {
  const { analysis, dataset, session, batches } = run
  const { graph } = session
  const { gradientBatch } = job.request
  const names = namedParameters(analysis, graph.parameters)
  const statistics = gradientStatistics(
    names.parameters,
    graph.blockOutputs,
    names.layerOrder,
    batches,
    gradientBatch,
  )
  const providers = session.providerReport()
  return {
    payload: {
      numImages: dataset.size,
      classes: dataset.info.classes,
      gradientBatch,
      batches: batches.length,
      loss: statistics.loss,
      accuracy: statistics.accuracy,
      isBnFolded: graph.bnFolded,
      batchNormMode: 'inference',
      parameters: statistics.parameters,
      layers: statistics.layers,
      blockOutputs: statistics.blockOutputs,
      unmappedParameters: names.unmapped,
      totalNorm: statistics.totalNorm,
      placementNote: placementNote(providers),
      timings: run.timings,
    },
    providers,
    datasetFingerprint: dataset.info.fingerprint,
    batchSize: gradientBatch,
    parameters: {
      batchNorm: 'inference (running statistics)',
      loss: 'mean softmax cross-entropy per batch',
      droppedImages: run.droppedImages,
      opsetUpgrades: graph.upgrades,
    },
  }
}

/** Nodes per provider, and any fallback (DirectML runs the MaxPool scatters on CPU). */
function placementNote(report: ProviderReport): string | null {
  const nodes = Object.entries(report.nodePlacement).map(([p, n]) => `${p}: ${n} nodes`)
  const parts = [nodes.join(', '), report.fallbackReason ?? ''].filter((part) => part !== '')
  return parts.length === 0 ? null : parts.join('; ')
}
