import { dirname } from 'node:path'
import type {
  CompressionRequest,
  CompressionResult,
  CompressionSite as SiteInfo,
} from '../../../../electron/api/contract/index.ts'
import { wilsonInterval } from '../../../analysis/uncertainty/index.ts'
import { countTop1Correct } from '../../../analysis/evaluate/classifier-rows.ts'
import { INTERVAL_CONFIDENCE } from '../../../analysis/evaluate/intervals.ts'
import { openDataset, planPreprocessing } from '../../../data/index.ts'
import type { Dataset } from '../../../data/index.ts'
import { analyzeModel, buildSummary, loadModel } from '../../../onnx/index.ts'
import type { ModelAnalysis } from '../../../onnx/index.ts'
import { createSession } from '../../../runtime/index.ts'
import { buildFakeQuantGraph, findCompressionSites } from '../../../surgery/fake-quant/index.ts'
import type { CompressionSite } from '../../../surgery/fake-quant/index.ts'
import { tensorCacheFolderOf } from '../../job-types.ts'
import type { JobContext, JobHandler, JobOutput, ResolvedJob } from '../../job-types.ts'
import { imagePasses } from '../shared/image-passes.ts'
import type { ImagePasses } from '../shared/image-passes.ts'
import {
  assertModelTakesImages,
  assertOutputsCoverClasses,
  fixedBatchSize,
} from '../shared/input-check.ts'
import { EvaluationError } from '../shared/job-errors.ts'
import { chooseAcgcBits } from './acgc-choice.ts'
import {
  measureOnlyFeeds,
  runBitSweep,
  sweepConfigurations,
  sweepMonotonicity,
} from './bit-sweep.ts'
import { passProgress, runQuantizedPass } from './quantized-pass.ts'
import type { PassOutput, QuantizedModel } from './quantized-pass.ts'
import { siteStatistics } from './site-statistics.ts'

type CompressionJob = ResolvedJob<CompressionRequest>

/**
 * Activation compression at a checkpoint (AC-GC): the activations kept for the backward pass
 * fake-quantized in one graph whose per-site widths are fed at run time, so every b and every
 * site alone reuse one session; then AC-GC's own per-channel widths from gradient statistics.
 */
export const compressionJob: JobHandler<CompressionRequest, CompressionResult> = async (
  job,
  context,
) => {
  const analysis = analyzeModel(await loadModel(job.modelPath))
  const { dataset, numOutputs } = await openImages(job, analysis)
  const built = performance.now()
  const found = findCompressionSites(analysis)
  if (found.length === 0)
    throw new EvaluationError(
      `${job.modelPath} has no activation read by a convolution or a BatchNorm: nothing to compress.`,
    )
  const graph = buildFakeQuantGraph(analysis, { sites: found, bitSource: 'levels' })
  const bytes = graph.encodeSplicedInto(analysis.loaded.bytes)
  context.signal.throwIfAborted()
  const session = await createSession(bytes, {
    provider: job.request.provider,
    externalDataFolder: dirname(job.modelPath),
  })
  const buildMs = performance.now() - built
  const model: QuantizedModel = { session, graph, classes: numOutputs, numImages: dataset.size }
  const plan = planPreprocessing(job.preprocessing, dataset.channels)
  const passes = await imagePasses(
    dataset,
    {
      preprocessing: job.preprocessing,
      batchSize: job.request.compressionBatch,
      cacheFolder: tensorCacheFolderOf(job),
    },
    4 * plan.channels * plan.height * plan.width,
  )
  try {
    return await measure(job, context, { analysis, dataset, found, model, passes, buildMs })
  } finally {
    await passes.close()
    await session.release()
  }
}

interface Measurement {
  analysis: ModelAnalysis
  dataset: Dataset
  found: CompressionSite[]
  model: QuantizedModel
  passes: ImagePasses
  buildMs: number
}

async function measure(
  job: CompressionJob,
  context: JobContext,
  run: Measurement,
): Promise<JobOutput<CompressionResult>> {
  const { request } = job
  const { model, passes, dataset } = run
  const batchesPerPass = Math.ceil(dataset.size / request.compressionBatch)
  const sites = run.found.map(contractSite)
  const plainStarted = performance.now()
  // Every site measured (max |x|, zeros, sign) but left exact: the unquantized logits.
  const reference = await runQuantizedPass(model, passes, measureOnlyFeeds(model), {
    accounting: true,
    signal: context.signal,
    onBatch: passProgress(context, 'unquantized pass', batchesPerPass),
  })
  const sweepStarted = performance.now()
  const configurations = sweepConfigurations(
    request,
    sites.map((site) => site.id),
  ).length
  const sweep = await runBitSweep(model, passes, reference, request, {
    signal: context.signal,
    onBatch: passProgress(
      context,
      `bit sweep (${configurations} passes)`,
      configurations * batchesPerPass,
    ),
  })
  const acgcStarted = performance.now()
  const acgc =
    request.acgc === null
      ? null
      : await chooseAcgcBits(job, context, { ...run, settings: request.acgc, reference })
  const finished = performance.now()
  return {
    payload: {
      numImages: dataset.size,
      classes: dataset.info.classes,
      compressionBatch: request.compressionBatch,
      isBnFolded: !run.analysis.ir.nodes.some((node) => node.opType === 'BatchNormalization'),
      top1: referenceTop1(reference),
      sites,
      statistics: siteStatistics(sites, reference.records),
      bits: request.bits,
      sweep,
      monotonicity: sweepMonotonicity(sweep),
      acgc,
      timings: {
        build: run.buildMs,
        plain: sweepStarted - plainStarted,
        sweep: acgcStarted - sweepStarted,
        acgc: finished - acgcStarted,
      },
    },
    providers: model.session.providerReport(),
    datasetFingerprint: dataset.info.fingerprint,
    batchSize: request.compressionBatch,
    parameters: {
      quantizer:
        'per channel s = 1/(max|x| + 1e-6) over the batch; q = clip(rint(x·s·2^b + bias), −2^b, 2^b − 1), bias −2^b for a tensor without negatives; x̂ = (q − bias)/2^b/s',
      sites: sites.length,
      readers: 'convolutions and BatchNorms read x̂; residual additions read x',
    },
  }
}

function contractSite(site: CompressionSite, depth: number): SiteInfo {
  return {
    id: site.id,
    kind: site.kind,
    readers:
      site.kind === 'conv-input' ? site.convs.map((c) => c.layerKey) : [site.batchNorm.layerKey],
    blockKey: site.blockKey,
    depth,
    channels: site.channels,
    valuesPerImage: site.channels * site.height * site.width,
  }
}

function referenceTop1(reference: PassOutput) {
  const correct = countTop1Correct(reference.logits, reference.labels)
  const n = reference.labels.length
  const { lower, upper } = wilsonInterval(correct, n, INTERVAL_CONFIDENCE)
  return { estimate: correct / n, lower, upper }
}

/** The selected images, checked against the model; `numOutputs`: the logits per image. */
async function openImages(
  job: CompressionJob,
  analysis: ModelAnalysis,
): Promise<{ dataset: Dataset; numOutputs: number }> {
  const summary = buildSummary(analysis)
  const dataset = await openDataset(job.dataset)
  assertOutputsCoverClasses(summary, dataset.info.classes)
  assertModelTakesImages(summary, planPreprocessing(job.preprocessing, dataset.channels))
  const fixed = fixedBatchSize(summary)
  const { compressionBatch } = job.request
  if (fixed !== null && fixed !== compressionBatch)
    throw new EvaluationError(
      `${job.modelPath} takes batches of exactly ${fixed} images; the scale of each batch depends on its size, so set compressionBatch to ${fixed} or export the model with a dynamic batch.`,
    )
  return { dataset, numOutputs: summary.numClasses }
}
