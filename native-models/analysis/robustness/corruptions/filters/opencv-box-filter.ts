// OpenCV imgproc/src/box_filter.simd.hpp (RowSum, ColumnSum) and filter2D, for one channel,
// with OpenCV's default border BORDER_REFLECT_101 (boundary mode 'mirror').
import { boundaryIndex } from './boundary.ts'

/** For each padded position −radius … n − 1 + radius, the index it reads (BORDER_REFLECT_101). */
function reflect101Indices(n: number, radius: number): Int32Array {
  const indices = new Int32Array(n + 2 * radius)
  for (let i = 0; i < indices.length; i++) indices[i] = boundaryIndex(i - radius, n, 'mirror')
  return indices
}

/**
 * Sums each row over a window of `size` columns as RowSum: the first window summed from 0, then
 * the running sum adds (entering − leaving). Exact for integers; for floats the same order.
 */
function rowSums(
  src: ArrayLike<number>,
  width: number,
  height: number,
  size: number,
  out: Float64Array,
): void {
  const radius = size >> 1
  const columns = reflect101Indices(width, radius)
  for (let y = 0; y < height; y++) {
    const row = y * width
    let s = 0
    for (let k = 0; k < size; k++) s += src[row + columns[k]]
    out[row] = s
    for (let x = 1; x < width; x++) {
      s += src[row + columns[x + size - 1]] - src[row + columns[x - 1]]
      out[row + x] = s
    }
  }
}

/**
 * Runs ColumnSum over the row sums: SUM starts as the first size − 1 rows, then for each output
 * row s = SUM + entering row is kept (in `out`) and SUM = s − leaving row.
 */
function columnSums(
  rows: Float64Array,
  width: number,
  height: number,
  size: number,
  out: Float64Array,
): void {
  const radius = size >> 1
  const rowIndex = reflect101Indices(height, radius)
  const sum = new Float64Array(width)
  for (let k = 0; k < size - 1; k++) {
    const row = rowIndex[k] * width
    for (let x = 0; x < width; x++) sum[x] += rows[row + x]
  }
  for (let y = 0; y < height; y++) {
    const entering = rowIndex[y + size - 1] * width
    const leaving = rowIndex[y] * width
    for (let x = 0; x < width; x++) {
      const s = sum[x] + rows[entering + x]
      out[y * width + x] = s
      sum[x] = s - rows[leaving + x]
    }
  }
}

/** The box sums of a single-channel image, in OpenCV's order (exact for integer inputs). */
function boxSums(
  src: ArrayLike<number>,
  width: number,
  height: number,
  size: number,
): Float64Array {
  const rows = new Float64Array(width * height)
  rowSums(src, width, height, size, rows)
  const sums = new Float64Array(width * height)
  columnSums(rows, width, height, size, sums)
  return sums
}

/** cv2.blur(src, (size, size)) on float32: sums in double, × (1 / size²), stored as float32. */
export function boxBlurFloat32(
  src: Float32Array,
  width: number,
  height: number,
  size = 3,
): Float32Array {
  const sums = boxSums(src, width, height, size)
  const scale = 1 / (size * size)
  const out = new Float32Array(width * height)
  for (let i = 0; i < out.length; i++) out[i] = sums[i] * scale
  return out
}

/**
 * cv2.blur(src, (size, size)) on uint8 (size² ≤ 256): integer sums, then ColumnSum<ushort,
 * uchar>'s fixed-point division, (s + divDelta) · divScale >> 23, in place of s / size².
 */
export function boxBlurUint8(src: Uint8Array, width: number, height: number, size = 3): Uint8Array {
  if (size * size > 256) throw new RangeError(`boxBlurUint8: size² must be ≤ 256, got ${size}.`)
  const shift = 2 ** 23
  const d = size * size
  const scaled = shift / d
  let divScale = Math.floor(scaled)
  let divDelta = d >> 1
  if (scaled - divScale < 0.5) divDelta++
  else divScale++
  const sums = boxSums(src, width, height, size)
  const out = new Uint8Array(width * height)
  for (let i = 0; i < out.length; i++)
    out[i] = Math.floor(((sums[i] + divDelta) * divScale) / shift)
  return out
}

/**
 * cv2.filter2D(src, cv2.CV_8U, kernel) for an 8-bit image and a small integer kernel (rows of
 * equal length, odd size, anchor at the centre): a correlation, BORDER_REFLECT_101, saturated
 * to 0…255 (integer sums are exact on every OpenCV path).
 */
export function filter2DUint8(
  src: Uint8Array,
  width: number,
  height: number,
  kernel: readonly (readonly number[])[],
): Uint8Array {
  const kh = kernel.length
  const kw = kernel[0].length
  const weights = Float64Array.from(kernel.flat())
  const rowIndex = reflect101Indices(height, kh >> 1)
  const columnIndex = reflect101Indices(width, kw >> 1)
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0
      for (let i = 0; i < kh; i++) {
        const row = rowIndex[y + i] * width
        for (let j = 0; j < kw; j++) sum += weights[i * kw + j] * src[row + columnIndex[x + j]]
      }
      out[y * width + x] = sum < 0 ? 0 : sum > 255 ? 255 : sum
    }
  }
  return out
}
