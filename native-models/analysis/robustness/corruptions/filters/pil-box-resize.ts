import type { RgbImage } from '../image.ts'

// Pillow's 8-bit resampling (libImaging/Resample.c): coefficients in fixed point with 22
// fractional bits, a rounding half added before the sum, then the top bits clipped to 0–255.
const PRECISION_BITS = 22
const ONE = 1 << PRECISION_BITS
const HALF = 1 << (PRECISION_BITS - 1)

interface Coefficients {
  /** Per output position: the first input index and how many follow. */
  bounds: Int32Array
  /** Per output position, `size` fixed-point weights (unused ones 0). */
  weights: Int32Array
  size: number
}

function boxFilter(x: number): number {
  return x > -0.5 && x <= 0.5 ? 1 : 0
}

/** precompute_coeffs + normalize_coeffs_8bpc for the BOX filter over the whole input. */
function boxCoefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize
  const filterScale = Math.max(scale, 1)
  const support = 0.5 * filterScale
  const size = Math.ceil(support) * 2 + 1
  const bounds = new Int32Array(outSize * 2)
  const weights = new Int32Array(outSize * size)
  const raw = new Float64Array(size)
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale
    const inverseScale = 1 / filterScale
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0)
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin
    let total = 0
    for (let x = 0; x < xmax; x++) {
      raw[x] = boxFilter((x + xmin - center + 0.5) * inverseScale)
      total += raw[x]
    }
    for (let x = 0; x < xmax; x++) {
      const w = total !== 0 ? raw[x] / total : raw[x]
      weights[xx * size + x] = Math.trunc(w < 0 ? -0.5 + w * ONE : 0.5 + w * ONE)
    }
    bounds[xx * 2] = xmin
    bounds[xx * 2 + 1] = xmax
  }
  return { bounds, weights, size }
}

function clip8(sum: number): number {
  const v = sum >> PRECISION_BITS
  return v < 0 ? 0 : v > 255 ? 255 : v
}

/** One pass along rows (axis 1) or columns (axis 0) of an RGB byte image. */
function resamplePass(
  image: RgbImage,
  outWidth: number,
  outHeight: number,
  axis: 0 | 1,
  { bounds, weights, size }: Coefficients,
): RgbImage {
  const data = new Uint8Array(outWidth * outHeight * 3)
  const inRow = image.width * 3
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const along = axis === 1 ? x : y
      const first = bounds[along * 2]
      const count = bounds[along * 2 + 1]
      const k = along * size
      let base: number
      let step: number
      if (axis === 1) {
        base = y * inRow + first * 3
        step = 3
      } else {
        base = first * inRow + x * 3
        step = inRow
      }
      let r = HALF
      let g = HALF
      let b = HALF
      for (let j = 0; j < count; j++) {
        const w = weights[k + j]
        const at = base + j * step
        r += image.data[at] * w
        g += image.data[at + 1] * w
        b += image.data[at + 2] * w
      }
      const o = (y * outWidth + x) * 3
      data[o] = clip8(r)
      data[o + 1] = clip8(g)
      data[o + 2] = clip8(b)
    }
  }
  return { width: outWidth, height: outHeight, data }
}

/**
 * PIL `Image.resize((width, height), Image.BOX)` on an 8-bit RGB image: a horizontal pass, then
 * a vertical one, each rounded to bytes (Pillow skips a pass whose size does not change).
 */
export function pilBoxResize(image: RgbImage, width: number, height: number): RgbImage {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`A BOX resize needs a positive whole size, got ${width}×${height}.`)
  }
  let out = image
  if (width !== image.width) {
    out = resamplePass(out, width, out.height, 1, boxCoefficients(image.width, width))
  }
  if (height !== image.height) {
    out = resamplePass(out, out.width, height, 0, boxCoefficients(image.height, height))
  }
  return out === image ? { ...image, data: image.data.slice() } : out
}
