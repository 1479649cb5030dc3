import {
  confidenceBinEdges,
  confidenceBinIndex,
  emptyBinTotals,
  expectedCalibrationError,
  reliabilityBins,
} from '../evaluate/calibration-bins.ts'
import type { ResampleStatistic } from './resampling.ts'

// Statistics over per-image arrays (index i = image i), evaluated on the images an index array
// selects. Sums run in float64 in index order; an empty selection gives 0, as the evaluation does.

/** Mean of `values` (e.g. per-image NLL) over the selected images. */
export function meanOf(values: Float32Array | Float64Array): ResampleStatistic {
  return (indices) => {
    let sum = 0
    for (let i = 0; i < indices.length; i += 1) sum += values[indices[i]]
    return indices.length === 0 ? 0 : sum / indices.length
  }
}

/** Top-1 accuracy over the selected images; `correct` is 1 for a right prediction, else 0. */
export function accuracyOf(correct: Uint8Array): ResampleStatistic {
  return (indices) => {
    let hits = 0
    for (let i = 0; i < indices.length; i += 1) hits += correct[indices[i]] === 0 ? 0 : 1
    return indices.length === 0 ? 0 : hits / indices.length
  }
}

/**
 * ECE over the selected images with the evaluation's bins: `bins` equal-width bins (lower, upper]
 * over [0, 1] with NumPy linspace edges; `confidence` is each image's max softmax probability.
 */
export function eceOf(
  confidence: Float32Array | Float64Array,
  correct: Uint8Array,
  bins = 15,
): ResampleStatistic {
  if (confidence.length !== correct.length) {
    throw new RangeError(
      `confidence has ${confidence.length} images but correct has ${correct.length}.`,
    )
  }
  const edges = confidenceBinEdges(bins)
  // Binning once up front keeps each resample to one pass of additions.
  const binOfImage = Int32Array.from(confidence, (value) => confidenceBinIndex(value, edges))
  return (indices) => {
    const totals = emptyBinTotals(bins)
    for (let i = 0; i < indices.length; i += 1) {
      const image = indices[i]
      const bin = totals[binOfImage[image]]
      bin.count += 1
      bin.correct += correct[image] === 0 ? 0 : 1
      bin.confidenceSum += confidence[image]
    }
    return expectedCalibrationError(reliabilityBins(totals, edges), indices.length)
  }
}
