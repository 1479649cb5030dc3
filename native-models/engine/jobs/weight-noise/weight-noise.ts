import { dirname } from 'node:path'
import type {
  ModelSummary,
  WeightNoiseRequest,
  WeightNoiseResult,
  WeightNoiseSample,
} from '../../../../electron/api/contract/index.ts'
import { createEvaluationAccumulator } from '../../../analysis/evaluate/evaluation.ts'
import {
  multiplicativeNoise,
  noisePlan,
  summariseNoiseLevels,
  weightNoiseSeed,
} from '../../../analysis/robustness/weight-noise/index.ts'
import { openDataset, planPreprocessing } from '../../../data/index.ts'
import type { Dataset } from '../../../data/index.ts'
import { loadModel, summarizeLoadedModel } from '../../../onnx/index.ts'
import type { LoadedModel } from '../../../onnx/index.ts'
import { tensorToFloat32 } from '../../../onnx/tensor-data.ts'
import { createSession } from '../../../runtime/index.ts'
import type { RuntimeSession } from '../../../runtime/index.ts'
import { withReplacedInitializers } from '../../../surgery/noisy-model.ts'
import { weightNoiseTargets } from '../../../surgery/weight-noise-targets.ts'
import type { NoiseTarget } from '../../../surgery/weight-noise-targets.ts'
import { tensorCacheFolderOf } from '../../job-types.ts'
import type { JobContext, JobHandler, JobOutput, ResolvedJob } from '../../job-types.ts'
import { classifierFeed, forEachOutputBatch, runBlankImages } from '../evaluate/batches.ts'
import { chooseBatchSize } from '../shared/batch-size.ts'
import {
  assertModelTakesImages,
  assertOnlyImageInput,
  assertOutputsCoverClasses,
} from '../shared/input-check.ts'
import { imagePasses } from '../shared/image-passes.ts'
import type { ImagePasses } from '../shared/image-passes.ts'

type NoiseJob = ResolvedJob<WeightNoiseRequest>

interface NoiseRun {
  job: NoiseJob
  context: JobContext
  loaded: LoadedModel
  summary: ModelSummary
  dataset: Dataset
  targets: NoiseTarget[]
  clean: Map<string, Float32Array>
  passes: ImagePasses
  batchSize: number
}

/**
 * Accuracy and NLL under multiplicative weight noise θ·ξ, ξ ~ N(1, σ²): per σ, `samples` seeded
 * copies of the model with the chosen initializers replaced, one session each (weights fed as
 * graph inputs ran 2.4× slower), evaluated on the same images.
 */
export const weightNoiseJob: JobHandler<WeightNoiseRequest, WeightNoiseResult> = async (
  job,
  context,
) => {
  const loaded = await loadModel(job.modelPath)
  const summary = summarizeLoadedModel(loaded)
  const dataset = await openDataset(job.dataset)
  assertOutputsCoverClasses(summary, dataset.info.classes)
  const plan = planPreprocessing(job.preprocessing, dataset.channels)
  assertModelTakesImages(summary, plan)
  const targets = weightNoiseTargets(loaded.model, job.request.scope)
  const external = (tensor: { name?: string }) => loaded.externalTensors.get(tensor.name ?? '')
  const byName = new Map((loaded.model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]))
  const clean = new Map(
    targets.map((t) => [t.name, tensorToFloat32(byName.get(t.name)!, external)]),
  )
  context.signal.throwIfAborted()

  const first = await openSession(job, loaded.model)
  try {
    const feed = classifierFeed(job.modelPath, summary, first, dataset)
    assertOnlyImageInput(feed.fileName, first.inputNames, feed.inputName)
    const batchSize = await chooseBatchSize({
      requested: job.request.batchSize,
      fixedBatch: feed.fixedBatch,
      datasetSize: dataset.size,
      runImages: (size) => {
        context.signal.throwIfAborted()
        return runBlankImages(feed, plan, size)
      },
    })
    const bytesPerImage = 4 * plan.channels * plan.height * plan.width
    const cacheFolder = tensorCacheFolderOf(job)
    const passes = await imagePasses(
      dataset,
      { preprocessing: job.preprocessing, batchSize, cacheFolder },
      bytesPerImage,
    )
    const run: NoiseRun = {
      ...{ job, context, loaded, summary, dataset, targets, clean, passes, batchSize },
    }
    try {
      return await sweepNoiseLevels(run, first)
    } finally {
      await passes.close()
    }
  } finally {
    await first.release()
  }
}

function openSession(job: NoiseJob, model: LoadedModel['model']): Promise<RuntimeSession> {
  return createSession(model, {
    provider: job.request.provider,
    externalDataFolder: dirname(job.modelPath),
  })
}

/** Every (σ, sample) in order; σ = 0 is the clean model once, on the first session. */
async function sweepNoiseLevels(
  run: NoiseRun,
  clean: RuntimeSession,
): Promise<JobOutput<WeightNoiseResult>> {
  const { job, context, dataset } = run
  const plan = noisePlan(job.request, job.request.shard ?? null)
  const total = plan.length * dataset.size
  const samples: WeightNoiseSample[] = []
  for (const [index, { sigma, sample }] of plan.entries()) {
    context.signal.throwIfAborted()
    const progress = (done: number) =>
      context.report({
        stage: `σ = ${sigma}${sigma > 0 ? `, sample ${sample + 1}` : ''}`,
        done: index * dataset.size + done,
        total,
      })
    const session = sigma === 0 ? clean : await openSession(job, noisyModel(run, sigma, sample))
    try {
      const scores = await scoreModel(run, session, progress)
      samples.push({ sigma, sample, ...scores })
    } finally {
      if (session !== clean) await session.release()
    }
  }
  const parameters = run.targets.reduce((sum, t) => sum + t.elements, 0)
  return {
    payload: {
      numImages: dataset.size,
      scope: job.request.scope,
      seed: job.request.seed,
      isBnFolded: run.summary.batchNorm.isFolded,
      perturbed: { tensors: run.targets.length, parameters },
      levels: summariseNoiseLevels(samples),
      samples,
    },
    providers: clean.providerReport(),
    datasetFingerprint: dataset.info.fingerprint,
    batchSize: run.batchSize,
    parameters: {
      noise: 'θ·(1 + σ·z), z ~ N(0, 1); the same z for every σ (common random numbers)',
      perturbedTensors: run.targets.length,
      perturbedParameters: parameters,
    },
  }
}

function noisyModel(run: NoiseRun, sigma: number, sample: number): LoadedModel['model'] {
  const replacements = new Map<string, Float32Array>()
  for (const target of run.targets) {
    const seed = weightNoiseSeed(run.job.request.seed, sample, target.index)
    replacements.set(target.name, multiplicativeNoise(run.clean.get(target.name)!, sigma, seed))
  }
  return withReplacedInitializers(run.loaded.model, replacements)
}

async function scoreModel(
  run: NoiseRun,
  session: RuntimeSession,
  progress: (done: number) => void,
): Promise<{ top1: number; top5: number; nll: number }> {
  const feed = classifierFeed(run.job.modelPath, run.summary, session, run.dataset)
  const accumulator = createEvaluationAccumulator({
    classes: run.dataset.info.classes,
    numOutputs: run.summary.numClasses,
    hasTrailingSoftmax: run.summary.hasTrailingSoftmax,
  })
  const counted: JobContext = {
    signal: run.context.signal,
    report: ({ done }) => progress(done),
  }
  await forEachOutputBatch(feed, run.passes.pass(), run.dataset.size, counted, (batch) =>
    accumulator.add(batch.outputs, batch.batch.labels),
  )
  const { top1, top5, nll } = accumulator.result()
  return { top1, top5, nll }
}
