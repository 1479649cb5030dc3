import type { TapStatistics } from '../../../../electron/api/contract/index.ts'
import {
  addSampledBatch,
  finishSampledHistogram,
  startSampledHistogram,
} from '../../../analysis/activation-stats/histogram.ts'
import type {
  MagnitudeBinning,
  SampledHistogram,
} from '../../../analysis/activation-stats/histogram.ts'
import {
  batchMoments,
  combineMoments,
  summarizeMoments,
} from '../../../analysis/activation-stats/moments.ts'
import type { ChannelMoments } from '../../../analysis/activation-stats/moments.ts'
import type { ActivationTapOutputs } from '../../../surgery/activation-graph.ts'
import type { OutputTensor } from '../../../runtime/index.ts'

/** One tap's statistics so far: float64 moments and the sampled |x| histogram. */
export interface TapAccumulation {
  key: string
  /** Per-sample dims, e.g. [C, H, W]; null before the first batch. */
  sampleShape: number[] | null
  moments: ChannelMoments | null
  histogram: SampledHistogram
}

export function startTapAccumulation(key: string, bins: number): TapAccumulation {
  return { key, sampleShape: null, moments: null, histogram: startSampledHistogram(bins) }
}

/** Folds one batch's graph outputs for `tap` into the accumulation (a new object). */
export function addTapBatch(
  accumulation: TapAccumulation,
  outputs: Readonly<Record<string, OutputTensor>>,
  tap: ActivationTapOutputs,
  binning: MagnitudeBinning,
): TapAccumulation {
  const read = (name: string): Float32Array => outputOf(outputs, name).data
  const dims = Array.from(read(tap.shape))
  const sampleShape = checkedSampleShape(accumulation, dims)
  const values = dims.reduce((product, dim) => product * dim, 1)
  const batch = batchMoments({
    count: values / (dims[1] ?? 1),
    mean: read(tap.mean),
    m2: read(tap.m2),
    max: read(tap.max),
    min: read(tap.min),
    zeros: read(tap.zeros),
  })
  const moments =
    accumulation.moments === null ? batch : combineMoments(accumulation.moments, batch)
  const batchMaxAbs = batch.maxAbs.reduce((a, b) => Math.max(a, b), 0)
  const sampled = { samples: read(tap.samples), batchMaxAbs, batchValues: values }
  const histogram = addSampledBatch(accumulation.histogram, sampled, binning)
  return { key: accumulation.key, sampleShape, moments, histogram }
}

function outputOf(outputs: Readonly<Record<string, OutputTensor>>, name: string): OutputTensor {
  const output = outputs[name]
  if (output === undefined) throw new Error(`The statistics graph returned no output '${name}'.`)
  return output
}

function checkedSampleShape(accumulation: TapAccumulation, dims: readonly number[]): number[] {
  const sampleShape = dims.slice(1)
  const previous = accumulation.sampleShape
  if (previous !== null && previous.join() !== sampleShape.join()) {
    throw new RangeError(
      `Tap '${accumulation.key}' changed shape between batches: [${previous.join(', ')}] then [${sampleShape.join(', ')}].`,
    )
  }
  return sampleShape
}

export function finishTapStatistics(accumulation: TapAccumulation): TapStatistics {
  const { key, sampleShape, moments } = accumulation
  if (sampleShape === null || moments === null) {
    throw new RangeError(`Tap '${key}' saw no batch: there is nothing to summarise.`)
  }
  const summary = summarizeMoments(moments)
  const maxAbs = summary.maxAbs.reduce((a, b) => Math.max(a, b), 0)
  return {
    key,
    shape: sampleShape,
    ...summary,
    histogram: finishSampledHistogram(accumulation.histogram, maxAbs),
  }
}
