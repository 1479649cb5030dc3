import { dirname } from 'node:path'
import type {
  AcgcChoice,
  AcgcSettings,
  AcgcSiteChoice,
  CompressionRequest,
} from '../../../../electron/api/contract/index.ts'
import { compressionAccounting, siteBitWidths } from '../../../analysis/compression/index.ts'
import type { SiteBatchBits } from '../../../analysis/compression/index.ts'
import type { Batch } from '../../../data/types.ts'
import type { ModelAnalysis } from '../../../onnx/index.ts'
import { createSession } from '../../../runtime/index.ts'
import { openGradientSession } from '../../../runtime/gradient-session.ts'
import type { GradientResult } from '../../../runtime/gradient-session.ts'
import { buildBackwardGraph } from '../../../surgery/backward/backward-graph.ts'
import type { BackwardGraphOptions } from '../../../surgery/backward/backward-graph.ts'
import { buildFakeQuantGraph, quantizedCopies } from '../../../surgery/fake-quant/index.ts'
import type { CompressionSite } from '../../../surgery/fake-quant/index.ts'
import type { JobContext, ResolvedJob } from '../../job-types.ts'
import { meanStd } from '../../../analysis/probes/probe-summary.ts'
import { namedParameters } from '../gradients/named-parameters.ts'
import type { ImagePasses } from '../shared/image-passes.ts'
import { EvaluationError } from '../shared/job-errors.ts'
import { acgcGradientPlan } from './acgc-statistics.ts'
import { divergenceFrom } from './bit-sweep.ts'
import { gradientChange } from './gradient-change.ts'
import { passProgress, runQuantizedPass } from './quantized-pass.ts'
import type { PassOutput, QuantizedModel, SiteBatchRecord } from './quantized-pass.ts'

export interface AcgcInputs {
  analysis: ModelAnalysis
  found: CompressionSite[]
  model: QuantizedModel
  passes: ImagePasses
  settings: AcgcSettings
  /** The unquantized pass, with each batch's per-site max |x|. */
  reference: PassOutput
}

/**
 * AC-GC's bit choice (papers.md §4.2): gradient statistics from the exact backward graph averaged
 * over the first `gradientBatches` batches, the allowed error per site and channel from them, the
 * forward pass with every site at the widths that error allows (chosen per batch from its own
 * scale, as in training), and the gradients when the backward pass reads those quantized values.
 */
export async function chooseAcgcBits(
  job: ResolvedJob<CompressionRequest>,
  context: JobContext,
  inputs: AcgcInputs,
): Promise<AcgcChoice> {
  const { analysis, found, settings } = inputs
  const batches = await gradientBatches(inputs, job.request.compressionBatch)
  const plan = acgcGradientPlan(analysis, found)
  const gradientProgress = passProgress(context, 'AC-GC gradient statistics', 2 * batches.length)
  const exact = await backwardPasses(job, analysis, batches, gradientProgress, {
    channelGradientStatistics: plan.statisticTensors,
    fullGradients: plan.fullGradients,
  })
  const perBatch = exact.results.map((result) => plan.siteStatistics(result, exact.parameterIndex))
  const allowed = found.map((site, index) =>
    siteBitWidths(
      {
        site: site.id,
        shape: {
          batch: job.request.compressionBatch,
          channels: site.channels,
          height: site.height,
          width: site.width,
        },
        maxAbs: meanMaxAbs(inputs.reference.records.slice(0, batches.length), index),
        statisticsPerBatch: perBatch.map((sites) => sites[index]),
      },
      settings.tolerance,
    ),
  )
  const squaredErrors = new Map(
    // 0/0 where no gradient reaches a BatchNorm channel at all: as unbounded as ∞.
    found.map((site, i) => [
      site.id,
      Float32Array.from(allowed[i].allowedSquaredError, (e) => (Number.isNaN(e) ? Infinity : e)),
    ]),
  )
  const forward = await boundedForward(job, context, inputs, squaredErrors)
  const quantized = await backwardPasses(job, analysis, batches, gradientProgress, {
    savedActivations: (builder) => quantizedCopies(builder, found, squaredErrors),
  })
  const names = namedParameters(analysis, exact.graphParameters)
  const change = gradientChange(names, exact.results, quantized.results)
  const batchBits = forward.records.map((batch) => siteBatchBits(found, [batch], squaredErrors))
  const accounting = compressionAccounting(batchBits.flat())
  const overBatches = meanStd(batchBits.map((bits) => compressionAccounting(bits).overall.meanBits))
  const { overall } = accounting
  return {
    tolerance: settings.tolerance,
    batches: batches.length,
    sites: found.map((site) => siteChoice(site, squaredErrors.get(site.id)!, forward, accounting)),
    accounting: {
      meanBits: overall.meanBits,
      meanBitsZeroValue: overall.meanBitsZeroValue,
      ratio: overall.ratio,
      ratioZeroValue: overall.ratioZeroValue,
      intrinsicBits: overall.intrinsicBits,
      meanBitsOverBatches: overBatches,
    },
    byKind: {
      'conv-input': bitAccounting(accounting.byKind['conv-input']),
      'bn-input': bitAccounting(accounting.byKind['bn-input']),
    },
    forward: divergenceFrom(inputs.reference, forward, inputs.model.classes),
    gradients: change.layers,
    totalGradient: change.total,
  }
}

/** The first `gradientBatches` batches of the pass, each of exactly `compressionBatch` images. */
async function gradientBatches(inputs: AcgcInputs, compressionBatch: number): Promise<Batch[]> {
  const wanted = inputs.settings.gradientBatches
  const kept: Batch[] = []
  for await (const batch of inputs.passes.pass()) {
    if (kept.length === wanted || batch.dims[0] < compressionBatch) break
    kept.push(batch)
  }
  if (kept.length < wanted)
    throw new EvaluationError(
      `AC-GC's statistics need ${wanted} batches of ${compressionBatch} images, and the selection has ${inputs.model.numImages}: select more images or lower gradientBatches.`,
    )
  return kept
}

interface BackwardRuns {
  results: GradientResult[]
  parameterIndex: Map<string, number>
  graphParameters: ReturnType<typeof buildBackwardGraph>['parameters']
}

async function backwardPasses(
  job: ResolvedJob<CompressionRequest>,
  analysis: ModelAnalysis,
  batches: readonly Batch[],
  onBatch: () => void,
  extra: Partial<BackwardGraphOptions>,
): Promise<BackwardRuns> {
  const graph = buildBackwardGraph(analysis, {
    parameterOutput: 'norm',
    blockOutputNorms: false,
    ...extra,
  })
  const session = await openGradientSession(graph, {
    provider: job.request.provider,
    externalDataFolder: dirname(job.modelPath),
  })
  try {
    const results: GradientResult[] = []
    for (const batch of batches) {
      results.push(await session.run(batch.images, batch.dims, batch.labels))
      onBatch()
    }
    return {
      results,
      parameterIndex: new Map(graph.parameters.map((p, i) => [p.initializer, i])),
      graphParameters: graph.parameters,
    }
  } finally {
    await session.release()
  }
}

/** Every image through the model with each site at the widths its allowed error gives. */
async function boundedForward(
  job: ResolvedJob<CompressionRequest>,
  context: JobContext,
  inputs: AcgcInputs,
  squaredErrors: ReadonlyMap<string, Float32Array>,
): Promise<PassOutput> {
  const graph = buildFakeQuantGraph(inputs.analysis, {
    sites: inputs.found,
    bitSource: 'error-bound',
  })
  const session = await createSession(graph.encodeSplicedInto(inputs.analysis.loaded.bytes), {
    provider: job.request.provider,
    externalDataFolder: dirname(job.modelPath),
  })
  const batchesPerPass = inputs.reference.records.length
  try {
    return await runQuantizedPass(
      { ...inputs.model, session, graph },
      inputs.passes,
      squaredErrors,
      {
        accounting: true,
        signal: context.signal,
        onBatch: passProgress(context, 'AC-GC widths, forward pass', batchesPerPass),
      },
    )
  } finally {
    await session.release()
  }
}

function meanMaxAbs(records: readonly SiteBatchRecord[][], siteIndex: number): number[] {
  const first = records[0]?.[siteIndex]
  if (first === undefined) throw new RangeError('No batch records to take max |x| from.')
  const sums = new Float64Array(first.maxAbs.length)
  for (const batch of records) batch[siteIndex].maxAbs.forEach((m, c) => (sums[c] += m))
  return Array.from(sums, (sum) => sum / records.length)
}

function siteBatchBits(
  found: readonly CompressionSite[],
  records: readonly SiteBatchRecord[][],
  squaredErrors: ReadonlyMap<string, Float32Array>,
): SiteBatchBits[] {
  return records.flatMap((batch) =>
    batch.map((record, index): SiteBatchBits => {
      const site = found[index]
      // A channel no gradient reaches has no bound (dx² = ∞): the bound alone asks 0 bits of it.
      const intrinsic = Array.from(squaredErrors.get(site.id) ?? [], (dx2) =>
        Math.max(0, -0.5 * Math.log2(dx2)),
      )
      return {
        site: site.id,
        kind: site.kind,
        bits: Array.from(record.bits),
        intrinsicBits: intrinsic,
        elementsPerChannel: record.images * site.height * site.width,
        nonzerosPerChannel: Array.from(record.quantizedNonzeroCount),
      }
    }),
  )
}

function siteChoice(
  site: CompressionSite,
  allowedSquaredError: Float32Array,
  forward: PassOutput,
  accounting: ReturnType<typeof compressionAccounting>,
): AcgcSiteChoice {
  const index = forward.records[0]?.findIndex((record) => record.siteId === site.id) ?? -1
  const bits = new Float64Array(site.channels)
  let images = 0
  for (const batch of forward.records) {
    const record = batch[index]
    images += record.images
    record.bits.forEach((b, c) => (bits[c] += b * record.images))
  }
  const summary = accounting.sites.find((s) => s.site === site.id)?.summary
  if (summary === undefined) throw new RangeError(`No bit accounting for site '${site.id}'.`)
  return {
    siteId: site.id,
    bits: Array.from(bits, (sum) => sum / images),
    allowedSquaredError: Array.from(allowedSquaredError, (e) => (Number.isFinite(e) ? e : null)),
    accounting: bitAccounting(summary)!,
    intrinsicBits: summary.intrinsicBits,
  }
}

function bitAccounting<
  T extends { meanBits: number; meanBitsZeroValue: number; ratio: number; ratioZeroValue: number },
>(summary: T | null) {
  if (summary === null) return null
  const { meanBits, meanBitsZeroValue, ratio, ratioZeroValue } = summary
  return { meanBits, meanBitsZeroValue, ratio, ratioZeroValue }
}
