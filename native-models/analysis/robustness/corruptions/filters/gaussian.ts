import type { FloatImage } from '../image.ts'
import { boundaryIndex } from './boundary.ts'
import type { BoundaryMode } from './boundary.ts'

/**
 * scipy.ndimage's 1-D Gaussian weights: radius = int(truncate·σ + 0.5), exp(−x²/2σ²), normalised.
 */
export function gaussianWeights(sigma: number, truncate: number): Float64Array {
  const radius = Math.trunc(truncate * sigma + 0.5)
  const weights = new Float64Array(2 * radius + 1)
  let sum = 0
  for (let x = -radius; x <= radius; x++) {
    const w = Math.exp((-0.5 / (sigma * sigma)) * x * x)
    weights[x + radius] = w
    sum += w
  }
  for (let i = 0; i < weights.length; i++) weights[i] /= sum
  return weights
}

/** scipy's test for (anti)symmetric weights: mirrored taps agree within DBL_EPSILON. */
function symmetryOf(weights: Float64Array): 1 | -1 | 0 {
  const centre = (weights.length - 1) >> 1
  const agrees = (sign: 1 | -1): boolean => {
    for (let i = 1; i <= centre; i++) {
      if (Math.abs(weights[centre + i] - sign * weights[centre - i]) > Number.EPSILON) return false
    }
    return true
  }
  if (weights.length % 2 === 0) return 0
  return agrees(1) ? 1 : agrees(-1) ? -1 : 0
}

/** One output of scipy's NI_Correlate1D at `centre` of an extended line, in its summation order. */
function correlateAt(
  line: Float64Array,
  centre: number,
  weights: Float64Array,
  symmetry: 1 | -1 | 0,
): number {
  const radius = (weights.length - 1) >> 1
  if (symmetry === 0) {
    let sum = line[centre + radius] * weights[2 * radius]
    for (let k = -radius; k < radius; k++) sum += line[centre + k] * weights[radius + k]
    return sum
  }
  let sum = line[centre] * weights[radius]
  for (let k = radius; k >= 1; k--) {
    const pair =
      symmetry > 0 ? line[centre - k] + line[centre + k] : line[centre - k] - line[centre + k]
    sum += pair * weights[radius - k]
  }
  return sum
}

/**
 * Correlates an H×W×C image along rows (axis 0) or columns (axis 1) with `weights` centred on
 * each pixel, channels independent, reading outside the image by `mode`: scipy correlate1d, line
 * by line through a buffer extended by the mode, with its summation order (so rounding matches).
 */
export function correlateAxis(
  image: FloatImage,
  weights: Float64Array,
  axis: 0 | 1,
  mode: BoundaryMode,
): FloatImage {
  const { width, height, data } = image
  const channels = data.length / (width * height)
  const radius = (weights.length - 1) >> 1
  const symmetry = symmetryOf(weights)
  const n = axis === 0 ? height : width
  const lines = (axis === 0 ? width : height) * channels
  // Along axis 0 a line steps a whole row; along axis 1 it steps one pixel.
  const step = axis === 0 ? width * channels : channels
  const line = new Float64Array(n + 2 * radius)
  const out = new Float64Array(data.length)
  for (let l = 0; l < lines; l++) {
    const first = axis === 0 ? l : Math.floor(l / channels) * width * channels + (l % channels)
    for (let i = -radius; i < n + radius; i++) {
      const j = boundaryIndex(i, n, mode)
      line[i + radius] = j < 0 ? 0 : data[first + j * step]
    }
    for (let i = 0; i < n; i++) {
      out[first + i * step] = correlateAt(line, i + radius, weights, symmetry)
    }
  }
  return { width, height, data: out }
}

/**
 * skimage.filters.gaussian(image, sigma, multichannel=True) on floats: scipy gaussian_filter
 * with σ on rows and columns and none across channels. skimage's defaults: mode 'nearest',
 * truncate 4.
 */
export function gaussianFilter(
  image: FloatImage,
  sigma: number,
  mode: BoundaryMode = 'nearest',
  truncate = 4,
): FloatImage {
  if (!(sigma > 0)) return { ...image, data: image.data.slice() }
  const weights = gaussianWeights(sigma, truncate)
  return correlateAxis(correlateAxis(image, weights, 0, mode), weights, 1, mode)
}
