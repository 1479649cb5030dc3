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

/**
 * Correlates an H×W×C image along rows (axis 0) or columns (axis 1) with `weights` centred on
 * each pixel, channels independent, reading outside the image by `mode` (scipy correlate1d).
 */
export function correlateAxis(
  image: FloatImage,
  weights: Float64Array,
  axis: 0 | 1,
  mode: BoundaryMode,
): FloatImage {
  const { width, height, data } = image
  const channels = data.length / (width * height)
  const out = new Float64Array(data.length)
  const radius = (weights.length - 1) >> 1
  const n = axis === 0 ? height : width
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = axis === 0 ? y : x
      for (let c = 0; c < channels; c++) {
        let sum = 0
        for (let k = -radius; k <= radius; k++) {
          const j = boundaryIndex(along + k, n, mode)
          if (j < 0) continue
          const index = axis === 0 ? (j * width + x) * channels + c : (y * width + j) * channels + c
          sum += weights[k + radius] * data[index]
        }
        out[(y * width + x) * channels + c] = sum
      }
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
