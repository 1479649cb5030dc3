import type { Float32Image } from './cv-affine-warp.ts'

/**
 * scipy.ndimage's map_coordinate for mode 'reflect' (SciPy 1.10): folds a coordinate outside
 * [0, len − 1] back in (half-sample symmetric). The result lies in (−1, len).
 */
export function reflectCoordinate(value: number, len: number): number {
  let v = value
  if (v < 0) {
    if (len <= 1) return 0
    const period = 2 * len
    if (v < -period) v = period * Math.trunc(-v / period) + v
    // SciPy's guard against -v − 1 rounding to exactly −1.
    return v < -len ? v + period : (v > -1e-15 ? 1e-15 : -v) - 1
  }
  if (v > len - 1) {
    if (len <= 1) return 0
    const period = 2 * len
    v -= period * Math.trunc(v / period)
    if (v >= len) v = period - v - 1
  }
  return v
}

/** One axis of an order-1 spline: the two neighbour indices (reflected) and their weights. */
interface LinearTap {
  i0: number
  i1: number
  w0: number
  w1: number
}

function linearTap(coordinate: number, len: number, tap: LinearTap): boolean {
  const cc = reflectCoordinate(coordinate, len)
  if (!(cc > -1)) return false
  const start = Math.floor(cc)
  tap.i0 = Math.trunc(reflectCoordinate(start, len))
  tap.i1 = Math.trunc(reflectCoordinate(start + 1, len))
  // get_spline_interpolation_weights, order 1: the last weight is 1 minus the others.
  tap.w0 = 1 - (cc - start)
  tap.w1 = 1 - tap.w0
  return true
}

/**
 * scipy.ndimage.map_coordinates(image, (rows, cols, channel), order=1, mode='reflect') on a float32
 * HWC image, where output pixel (y, x, c) samples (y + dy[y, x], x + dx[y, x], c): the channel
 * coordinate is whole, so only rows and columns interpolate. Terms are summed in SciPy's order
 * (row-major over the 2×2 footprint, each value × row weight × column weight) in float64 and
 * stored as float32.
 */
export function mapCoordinatesLinearReflect(
  image: Float32Image,
  dy: Float32Array,
  dx: Float32Array,
): Float32Image {
  const { width, height, channels, data } = image
  const out = new Float32Array(data.length)
  const row = width * channels
  const ty: LinearTap = { i0: 0, i1: 0, w0: 0, w1: 0 }
  const tx: LinearTap = { i0: 0, i1: 0, w0: 0, w1: 0 }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x
      const o = p * channels
      // Outside after folding: SciPy's constant border (cval 0) for the whole pixel.
      if (!linearTap(y + dy[p], height, ty) || !linearTap(x + dx[p], width, tx)) continue
      const r0 = ty.i0 * row
      const r1 = ty.i1 * row
      const c0 = tx.i0 * channels
      const c1 = tx.i1 * channels
      for (let c = 0; c < channels; c++) {
        let t = data[r0 + c0 + c] * ty.w0 * tx.w0
        t += data[r0 + c1 + c] * ty.w0 * tx.w1
        t += data[r1 + c0 + c] * ty.w1 * tx.w0
        t += data[r1 + c1 + c] * ty.w1 * tx.w1
        out[o + c] = t
      }
    }
  }
  return { width, height, channels, data: out }
}
