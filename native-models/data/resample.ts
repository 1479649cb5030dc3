// A port of Pillow's ImagingResample (src/libImaging/Resample.c, unchanged from Pillow 4 to 11): a
// separable, antialiased convolution whose support widens by the downscale factor. 8-bit images use
// coefficients in fixed point (PRECISION_BITS = 22, rounded half away from zero) and are rounded and
// clipped to 0..255 after each pass, so the result matches Image.resize to the level.
import type { RawImage, ResampleFilter } from './types.ts'

const PRECISION_BITS = 32 - 8 - 2
const ONE = 1 << PRECISION_BITS
const HALF = 1 << (PRECISION_BITS - 1)

interface Filter {
  weight(x: number): number
  support: number
}

const BICUBIC_A = -0.5

const FILTERS: Record<ResampleFilter, Filter> = {
  bilinear: {
    support: 1,
    weight(x) {
      const distance = Math.abs(x)
      return distance < 1 ? 1 - distance : 0
    },
  },
  box: {
    support: 0.5,
    weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0),
  },
  bicubic: {
    support: 2,
    weight(x) {
      const t = Math.abs(x)
      if (t < 1) return ((BICUBIC_A + 2.0) * t - (BICUBIC_A + 3.0)) * t * t + 1
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * BICUBIC_A
      return 0
    },
  },
}

/** Per output pixel: the first input pixel, how many follow, and their normalised weights. */
interface Coefficients {
  taps: number
  first: Int32Array
  count: Int32Array
  weights: Float64Array
}

function precomputeCoefficients(inSize: number, outSize: number, filter: Filter): Coefficients {
  const scale = inSize / outSize
  const filterScale = Math.max(scale, 1)
  const support = filter.support * filterScale
  const inverseScale = 1.0 / filterScale
  const taps = Math.ceil(support) * 2 + 1
  const result: Coefficients = {
    taps,
    first: new Int32Array(outSize),
    count: new Int32Array(outSize),
    weights: new Float64Array(outSize * taps),
  }
  for (let out = 0; out < outSize; out += 1) {
    const center = (out + 0.5) * scale
    const min = Math.max(0, Math.trunc(center - support + 0.5))
    const count = Math.min(inSize, Math.trunc(center + support + 0.5)) - min
    const base = out * taps
    let sum = 0
    for (let k = 0; k < count; k += 1) {
      const w = filter.weight((k + min - center + 0.5) * inverseScale)
      result.weights[base + k] = w
      sum += w
    }
    if (sum !== 0) for (let k = 0; k < count; k += 1) result.weights[base + k] /= sum
    result.first[out] = min
    result.count[out] = count
  }
  return result
}

function toFixedPoint(weights: Float64Array): Int32Array {
  const fixed = new Int32Array(weights.length)
  for (let i = 0; i < weights.length; i += 1) {
    const w = weights[i]
    fixed[i] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE)
  }
  return fixed
}

function clip8(sum: number): number {
  const value = sum >> PRECISION_BITS
  return value < 0 ? 0 : value > 255 ? 255 : value
}

// Four monomorphic loops (uint8/float32 × horizontal/vertical) keep V8 on its fast paths: a shared
// generic pass was 4× slower.

/** One output pixel of `channels` interleaved values; the 3-channel case sums them in one loop. */
function horizontalPixelUint8(
  source: Uint8Array,
  target: Uint8Array,
  o: number,
  start: number,
  channels: number,
  weights: Int32Array,
  base: number,
  n: number,
): void {
  if (channels === 3) {
    let r = HALF
    let g = HALF
    let b = HALF
    for (let k = 0, p = start; k < n; k += 1, p += 3) {
      const w = weights[base + k]
      r = (r + source[p] * w) | 0
      g = (g + source[p + 1] * w) | 0
      b = (b + source[p + 2] * w) | 0
    }
    target[o] = clip8(r)
    target[o + 1] = clip8(g)
    target[o + 2] = clip8(b)
    return
  }
  for (let ch = 0; ch < channels; ch += 1) {
    let sum = HALF
    for (let k = 0, p = start + ch; k < n; k += 1, p += channels)
      sum = (sum + source[p] * weights[base + k]) | 0
    target[o + ch] = clip8(sum)
  }
}

/** Rows [firstRow, firstRow + rows) resampled along x; HWC, so taps step by `channels`. */
function horizontalUint8(
  image: RawImage,
  rows: number,
  firstRow: number,
  width: number,
  c: Coefficients,
): Uint8Array {
  const source = image.data as Uint8Array
  const { channels } = image
  const weights = toFixedPoint(c.weights)
  const target = new Uint8Array(width * rows * channels)
  for (let y = 0; y < rows; y += 1) {
    const row = (y + firstRow) * image.width * channels
    const outRow = y * width * channels
    for (let x = 0; x < width; x += 1) {
      const start = row + c.first[x] * channels
      horizontalPixelUint8(
        source,
        target,
        outRow + x * channels,
        start,
        channels,
        weights,
        x * c.taps,
        c.count[x],
      )
    }
  }
  return target
}

/**
 * Resampled along y one output row at a time: each tap adds a whole weighted input row to an int32
 * accumulator (long, simple loops V8 compiles well); the integer sums equal Pillow's per pixel.
 */
function verticalUint8(image: RawImage, c: Coefficients, height: number): Uint8Array {
  const source = image.data as Uint8Array
  const rowLength = image.width * image.channels
  const weights = toFixedPoint(c.weights)
  const target = new Uint8Array(rowLength * height)
  const sums = new Int32Array(rowLength)
  for (let y = 0; y < height; y += 1) {
    sums.fill(HALF)
    for (let k = 0; k < c.count[y]; k += 1) {
      const w = weights[y * c.taps + k]
      const row = (c.first[y] + k) * rowLength
      for (let i = 0; i < rowLength; i += 1) sums[i] = (sums[i] + source[row + i] * w) | 0
    }
    const o = y * rowLength
    for (let i = 0; i < rowLength; i += 1) target[o + i] = clip8(sums[i])
  }
  return target
}

// Pillow's mode 'F' path: float64 weights and sums, stored as float32, no rounding or clipping.
function horizontalFloat32(
  image: RawImage,
  rows: number,
  firstRow: number,
  width: number,
  c: Coefficients,
): Float32Array {
  const source = image.data as Float32Array
  const { channels } = image
  const target = new Float32Array(width * rows * channels)
  let o = 0
  for (let y = 0; y < rows; y += 1) {
    const row = (y + firstRow) * image.width * channels
    for (let x = 0; x < width; x += 1) {
      const base = x * c.taps
      const start = row + c.first[x] * channels
      for (let ch = 0; ch < channels; ch += 1) {
        let sum = 0
        for (let k = 0, p = start + ch; k < c.count[x]; k += 1, p += channels)
          sum += source[p] * c.weights[base + k]
        target[o++] = sum
      }
    }
  }
  return target
}

function verticalFloat32(image: RawImage, c: Coefficients, height: number): Float32Array {
  const source = image.data as Float32Array
  const rowLength = image.width * image.channels
  const target = new Float32Array(rowLength * height)
  for (let y = 0; y < height; y += 1) {
    const base = y * c.taps
    const start = c.first[y] * rowLength
    for (let i = 0; i < rowLength; i += 1) {
      let sum = 0
      for (let k = 0, p = start + i; k < c.count[y]; k += 1, p += rowLength)
        sum += source[p] * c.weights[base + k]
      target[y * rowLength + i] = sum
    }
  }
  return target
}

function horizontalPass(
  image: RawImage,
  rows: number,
  firstRow: number,
  coefficients: Coefficients,
): RawImage {
  const width = coefficients.first.length
  const data =
    image.data instanceof Uint8Array
      ? horizontalUint8(image, rows, firstRow, width, coefficients)
      : horizontalFloat32(image, rows, firstRow, width, coefficients)
  return { data, width, height: rows, channels: image.channels }
}

/** The coefficients of output pixels [start, start + length) only. */
function windowOf(c: Coefficients, start: number, length: number): Coefficients {
  return {
    taps: c.taps,
    first: c.first.slice(start, start + length),
    count: c.count.slice(start, start + length),
    weights: c.weights.subarray(start * c.taps, (start + length) * c.taps),
  }
}

/** A rectangle of the resized image: the only pixels computed (a center crop after a resize). */
export interface OutputWindow {
  left: number
  top: number
  width: number
  height: number
}

function verticalPass(image: RawImage, vertical: Coefficients, height: number): RawImage {
  const data =
    image.data instanceof Uint8Array
      ? verticalUint8(image, vertical, height)
      : verticalFloat32(image, vertical, height)
  return { data, width: image.width, height, channels: image.channels }
}

/**
 * Resizes like Pillow's `Image.resize((width, height), BILINEAR | BICUBIC | BOX)` (no reducing_gap,
 * which is how torchvision calls it); HWC in, HWC out, same element type. With `window`, only that
 * part of the result is computed (same values: each output pixel depends only on its coefficients);
 * a window needs both sides to change size.
 */
export function resample(
  image: RawImage,
  width: number,
  height: number,
  filterName: ResampleFilter,
  window: OutputWindow = { left: 0, top: 0, width, height },
): RawImage {
  const filter = FILTERS[filterName]
  const needsHorizontal = width !== image.width
  const needsVertical = height !== image.height
  const isWindowed = window.width !== width || window.height !== height
  if (isWindowed && !(needsHorizontal && needsVertical)) {
    throw new RangeError('A resample window needs both sides of the image to change size.')
  }
  if (!needsHorizontal && !needsVertical) return { ...image, data: image.data.slice() }
  const vertical = windowOf(
    precomputeCoefficients(image.height, height, filter),
    window.top,
    window.height,
  )
  let current = image
  if (needsHorizontal) {
    // Only the rows the vertical pass reads are resampled horizontally, as Pillow does.
    const firstRow = vertical.first[0]
    const lastRow = vertical.first[window.height - 1] + vertical.count[window.height - 1]
    const horizontal = precomputeCoefficients(image.width, width, filter)
    current = horizontalPass(
      image,
      lastRow - firstRow,
      firstRow,
      windowOf(horizontal, window.left, window.width),
    )
    for (let y = 0; y < window.height; y += 1) vertical.first[y] -= firstRow
  }
  return needsVertical ? verticalPass(current, vertical, window.height) : current
}
