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

/**
 * One pass over a HWC image along one axis (taps step by `tapStride`), repeated for `lines` lines of
 * the other axis. Strides are in elements; channel 0 of tap 0 of line l is at `inStart + l * inLineStride`.
 */
interface Pass {
  coefficients: Coefficients
  outLength: number
  lines: number
  inStart: number
  inLineStride: number
  tapStride: number
  outLineStride: number
  outStride: number
  channels: number
}

function runPassUint8(source: Uint8Array, target: Uint8Array, pass: Pass): void {
  const { taps, first, count } = pass.coefficients
  const weights = toFixedPoint(pass.coefficients.weights)
  const { tapStride, channels } = pass
  for (let line = 0; line < pass.lines; line += 1) {
    const start = pass.inStart + line * pass.inLineStride
    for (let out = 0; out < pass.outLength; out += 1) {
      const base = out * taps
      const n = count[out]
      const outIndex = line * pass.outLineStride + out * pass.outStride
      for (let c = 0; c < channels; c += 1) {
        let sum = HALF
        let p = start + first[out] * tapStride + c
        for (let k = 0; k < n; k += 1, p += tapStride) sum += source[p] * weights[base + k]
        target[outIndex + c] = clip8(sum)
      }
    }
  }
}

// Pillow's mode 'F' path: float64 weights and sums, stored as float32, no rounding or clipping.
function runPassFloat32(source: Float32Array, target: Float32Array, pass: Pass): void {
  const { taps, first, count, weights } = pass.coefficients
  const { tapStride, channels } = pass
  for (let line = 0; line < pass.lines; line += 1) {
    const start = pass.inStart + line * pass.inLineStride
    for (let out = 0; out < pass.outLength; out += 1) {
      const base = out * taps
      const n = count[out]
      const outIndex = line * pass.outLineStride + out * pass.outStride
      for (let c = 0; c < channels; c += 1) {
        let sum = 0
        let p = start + first[out] * tapStride + c
        for (let k = 0; k < n; k += 1, p += tapStride) sum += source[p] * weights[base + k]
        target[outIndex + c] = sum
      }
    }
  }
}

function runPass(source: RawImage['data'], pass: Pass, outSize: number): RawImage['data'] {
  if (source instanceof Uint8Array) {
    const target = new Uint8Array(outSize)
    runPassUint8(source, target, pass)
    return target
  }
  const target = new Float32Array(outSize)
  runPassFloat32(source, target, pass)
  return target
}

function horizontalPass(
  image: RawImage,
  rows: number,
  firstRow: number,
  width: number,
  filter: Filter,
): RawImage {
  const { channels } = image
  const pass: Pass = {
    coefficients: precomputeCoefficients(image.width, width, filter),
    outLength: width,
    lines: rows,
    inStart: firstRow * image.width * channels,
    inLineStride: image.width * channels,
    tapStride: channels,
    outLineStride: width * channels,
    outStride: channels,
    channels,
  }
  const data = runPass(image.data, pass, width * rows * channels)
  return { data, width, height: rows, channels }
}

function verticalPass(image: RawImage, vertical: Coefficients, height: number): RawImage {
  const { channels, width } = image
  const pass: Pass = {
    coefficients: vertical,
    outLength: height,
    lines: width,
    inStart: 0,
    inLineStride: channels,
    tapStride: width * channels,
    outLineStride: channels,
    outStride: width * channels,
    channels,
  }
  const data = runPass(image.data, pass, width * height * channels)
  return { data, width, height, channels }
}

/**
 * Resizes like Pillow's `Image.resize((width, height), BILINEAR | BICUBIC)` (no box, no reducing_gap,
 * which is how torchvision calls it); HWC in, HWC out, same element type.
 */
export function resample(
  image: RawImage,
  width: number,
  height: number,
  filterName: ResampleFilter,
): RawImage {
  const filter = FILTERS[filterName]
  const needsHorizontal = width !== image.width
  const needsVertical = height !== image.height
  if (!needsHorizontal && !needsVertical) return { ...image, data: image.data.slice() }
  const vertical = precomputeCoefficients(image.height, height, filter)
  let current = image
  if (needsHorizontal) {
    // Only the rows the vertical pass reads are resampled horizontally, as Pillow does.
    const firstRow = vertical.first[0]
    const lastRow = vertical.first[height - 1] + vertical.count[height - 1]
    current = horizontalPass(image, lastRow - firstRow, firstRow, width, filter)
    for (let y = 0; y < height; y += 1) vertical.first[y] = vertical.first[y] - firstRow
  }
  return needsVertical ? verticalPass(current, vertical, height) : current
}
