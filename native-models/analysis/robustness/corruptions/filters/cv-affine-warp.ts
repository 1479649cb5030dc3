import { boundaryIndex } from './boundary.ts'

/** Three points as [x0, y0, x1, y1, x2, y2]. */
export type Triangle = readonly [number, number, number, number, number, number]

/** A 2×3 affine matrix, row-major: x' = m0·x + m1·y + m2, y' = m3·x + m4·y + m5. */
export type AffineMatrix = [number, number, number, number, number, number]

/** A float32 image, height × width × channels (HWC), as OpenCV's CV_32FC(n). */
export interface Float32Image {
  width: number
  height: number
  channels: number
  data: Float32Array
}

/**
 * cv2.getAffineTransform(src, dst): OpenCV solves the 6×6 system with its own LU (partial
 * pivoting, reciprocal pivots), reproduced here step for step so the matrix is bit-identical.
 */
export function getAffineTransform(src: Triangle, dst: Triangle): AffineMatrix {
  const a = new Float64Array(36)
  const b = new Float64Array(6)
  for (let i = 0; i < 3; i++) {
    const j = i * 12
    const k = i * 12 + 6
    a[j] = a[k + 3] = src[i * 2]
    a[j + 1] = a[k + 4] = src[i * 2 + 1]
    a[j + 2] = a[k + 5] = 1
    b[i * 2] = dst[i * 2]
    b[i * 2 + 1] = dst[i * 2 + 1]
  }
  solveLu(a, b, 6)
  return [b[0], b[1], b[2], b[3], b[4], b[5]]
}

/** OpenCV's hal::LU (LUImpl) for one right-hand side; b holds the solution afterwards. */
function solveLu(a: Float64Array, b: Float64Array, m: number): void {
  for (let i = 0; i < m; i++) {
    let pivot = i
    for (let j = i + 1; j < m; j++) {
      if (Math.abs(a[j * m + i]) > Math.abs(a[pivot * m + i])) pivot = j
    }
    if (Math.abs(a[pivot * m + i]) < Number.EPSILON * 100) {
      throw new RangeError('getAffineTransform: the three source points are collinear.')
    }
    if (pivot !== i) {
      for (let j = i; j < m; j++) {
        const t = a[i * m + j]
        a[i * m + j] = a[pivot * m + j]
        a[pivot * m + j] = t
      }
      const t = b[i]
      b[i] = b[pivot]
      b[pivot] = t
    }
    const d = -1 / a[i * m + i]
    for (let j = i + 1; j < m; j++) {
      const alpha = a[j * m + i] * d
      for (let k = i + 1; k < m; k++) a[j * m + k] += alpha * a[i * m + k]
      b[j] += alpha * b[i]
    }
    a[i * m + i] = -d
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = b[i]
    for (let k = i + 1; k < m; k++) s -= a[i * m + k] * b[k]
    b[i] = s * a[i * m + i]
  }
}

/** cvRound: to the nearest integer, ties to even (SSE2 cvtsd2si). */
function cvRound(v: number): number {
  const r = Math.round(v)
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r
}

// warpAffine's fixed-point source coordinates: AB_BITS = 10 bits per pixel for the matrix
// products, INTER_BITS = 5 bits (1/32 px) kept as the interpolation fraction.
const AB_BITS = 10
const AB_SCALE = 1 << AB_BITS
const INTER_BITS = 5
const INTER_TAB_SIZE = 1 << INTER_BITS
const ROUND_DELTA = AB_SCALE / INTER_TAB_SIZE / 2

/** The inverse of an affine map, as warpAffine computes it without WARP_INVERSE_MAP. */
function invertAffine(m: AffineMatrix): AffineMatrix {
  let d = m[0] * m[4] - m[1] * m[3]
  d = d !== 0 ? 1 / d : 0
  const a11 = m[4] * d
  const a22 = m[0] * d
  const m1 = m[1] * -d
  const m3 = m[3] * -d
  const b1 = -a11 * m[2] - m1 * m[5]
  const b2 = -m3 * m[2] - a22 * m[5]
  return [a11, m1, b1, m3, a22, b2]
}

/**
 * cv2.warpAffine(image, M, (width, height), flags=INTER_LINEAR, borderMode=BORDER_REFLECT_101) on
 * float32 data (OpenCV 4.6): source positions in 1/32 px fixed point, bilinear weights from that
 * fraction, and the 4-term sum in float32, in OpenCV's order.
 */
export function warpAffineLinearReflect101(
  image: Float32Image,
  matrix: AffineMatrix,
): Float32Image {
  const { width, height, channels, data } = image
  const m = invertAffine(matrix)
  const out = new Float32Array(data.length)
  const adelta = new Int32Array(width)
  const bdelta = new Int32Array(width)
  for (let x = 0; x < width; x++) {
    adelta[x] = cvRound(m[0] * x * AB_SCALE)
    bdelta[x] = cvRound(m[3] * x * AB_SCALE)
  }
  const row = width * channels
  const f = Math.fround
  for (let y = 0; y < height; y++) {
    const x0 = cvRound((m[1] * y + m[2]) * AB_SCALE) + ROUND_DELTA
    const y0 = cvRound((m[4] * y + m[5]) * AB_SCALE) + ROUND_DELTA
    for (let x = 0; x < width; x++) {
      const sxFixed = (x0 + adelta[x]) >> (AB_BITS - INTER_BITS)
      const syFixed = (y0 + bdelta[x]) >> (AB_BITS - INTER_BITS)
      const sx = sxFixed >> INTER_BITS
      const sy = syFixed >> INTER_BITS
      const fx = (sxFixed & (INTER_TAB_SIZE - 1)) / INTER_TAB_SIZE
      const fy = (syFixed & (INTER_TAB_SIZE - 1)) / INTER_TAB_SIZE
      // BilinearTab_f: float products of (1 − t, t), exact multiples of 1/1024.
      const w0 = (1 - fy) * (1 - fx)
      const w1 = (1 - fy) * fx
      const w2 = fy * (1 - fx)
      const w3 = fy * fx
      const c0 = boundaryIndex(sx, width, 'mirror') * channels
      const c1 = boundaryIndex(sx + 1, width, 'mirror') * channels
      const r0 = boundaryIndex(sy, height, 'mirror') * row
      const r1 = boundaryIndex(sy + 1, height, 'mirror') * row
      const o = y * row + x * channels
      for (let c = 0; c < channels; c++) {
        const sum01 = f(f(data[r0 + c0 + c] * w0) + f(data[r0 + c1 + c] * w1))
        const sum012 = f(sum01 + f(data[r1 + c0 + c] * w2))
        out[o + c] = sum012 + f(data[r1 + c1 + c] * w3)
      }
    }
  }
  return { width, height, channels, data: out }
}
