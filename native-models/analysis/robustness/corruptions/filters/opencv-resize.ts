// OpenCV imgproc/src/resize.cpp (INTER_LINEAR on 8-bit images: resizeGeneric_ with
// HResizeLinear / VResizeLinear in fixed point), step for step.

const COEF_BITS = 11
const COEF_SCALE = 1 << COEF_BITS

/** cvRound: to the nearest integer, ties to even (SSE2 cvtsd2si / cvtss2si). */
function roundHalfEven(v: number): number {
  const r = Math.round(v)
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** The size cv2.resize gives a side of `size` pixels scaled by `factor`: cvRound(size · factor). */
export function resizedSide(size: number, factor: number): number {
  return roundHalfEven(size * factor)
}

interface Taps {
  /** The first source index read (the second is the next one, or the same at the border). */
  offsets: Int32Array
  /** Fixed-point weights of the two taps, as `short`s summing to 2048. */
  weights: Int16Array
}

/** Source positions and weights along one axis: src = (dst + 0.5) · scale − 0.5 in float32. */
function linearTaps(dstSize: number, srcSize: number, scale: number, clampEnds: boolean): Taps {
  const offsets = new Int32Array(dstSize)
  const weights = new Int16Array(dstSize * 2)
  for (let d = 0; d < dstSize; d++) {
    const f = Math.fround((d + 0.5) * scale - 0.5)
    let s = Math.floor(f)
    let frac = Math.fround(f - s)
    if (clampEnds && s < 0) {
      frac = 0
      s = 0
    }
    if (clampEnds && s >= srcSize - 1) {
      frac = 0
      s = srcSize - 1
    }
    offsets[d] = s
    weights[d * 2] = roundHalfEven(Math.fround(1 - frac) * COEF_SCALE)
    weights[d * 2 + 1] = roundHalfEven(frac * COEF_SCALE)
  }
  return { offsets, weights }
}

/**
 * VResizeLinear<uchar, int, short, …>'s vertical blend (its SIMD and scalar code agree):
 * ((S0 >> 4)·b0 >> 16) + ((S1 >> 4)·b1 >> 16), then (sum + 2) >> 2, saturated.
 */
function blend(s0: number, s1: number, b0: number, b1: number): number {
  const a = Math.min(32767, s0 >> 4)
  const b = Math.min(32767, s1 >> 4)
  const sum = Math.min(32767, ((a * b0) >> 16) + ((b * b1) >> 16))
  const v = Math.min(32767, sum + 2) >> 2
  return v < 0 ? 0 : v > 255 ? 255 : v
}

/**
 * cv2.resize(src, (0, 0), fx=…, fy=…) with the default INTER_LINEAR on an 8-bit image of
 * `channels` interleaved channels: the size is cvRound(size · factor), pixels are blended in
 * OpenCV's 11-bit fixed point with its truncating vertical blend.
 */
export function resizeLinearUint8(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
  fx: number,
  fy: number,
): { width: number; height: number; data: Uint8Array } {
  const dstWidth = resizedSide(width, fx)
  const dstHeight = resizedSide(height, fy)
  if (dstWidth < 1 || dstHeight < 1) {
    throw new RangeError(`resizeLinearUint8: ${width}×${height} × (${fx}, ${fy}) is empty.`)
  }
  const columns = linearTaps(dstWidth, width, 1 / fx, true)
  const rows = linearTaps(dstHeight, height, 1 / fy, false)
  const rowWidth = dstWidth * channels

  const horizontal = [new Int32Array(rowWidth), new Int32Array(rowWidth)]
  const out = new Uint8Array(dstHeight * rowWidth)
  for (let dy = 0; dy < dstHeight; dy++) {
    for (let k = 0; k < 2; k++) {
      const sy = Math.min(height - 1, Math.max(0, rows.offsets[dy] + k))
      resizeRow(src, sy * width * channels, width, channels, columns, horizontal[k])
    }
    const b0 = rows.weights[dy * 2]
    const b1 = rows.weights[dy * 2 + 1]
    const [s0, s1] = horizontal
    const base = dy * rowWidth
    for (let x = 0; x < rowWidth; x++) {
      out[base + x] = blend(s0[x], s1[x], b0, b1)
    }
  }
  return { width: dstWidth, height: dstHeight, data: out }
}

/** HResizeLinear: S[sx]·a0 + S[sx + cn]·a1; at the right border S[sx]·2048. */
function resizeRow(
  src: Uint8Array,
  rowStart: number,
  width: number,
  channels: number,
  columns: Taps,
  out: Int32Array,
): void {
  const dstWidth = columns.offsets.length
  for (let dx = 0; dx < dstWidth; dx++) {
    const sx = columns.offsets[dx]
    const a0 = columns.weights[dx * 2]
    const a1 = columns.weights[dx * 2 + 1]
    const p = rowStart + sx * channels
    const hasRight = sx + 1 < width
    for (let c = 0; c < channels; c++) {
      out[dx * channels + c] = hasRight
        ? src[p + c] * a0 + src[p + channels + c] * a1
        : src[p + c] * COEF_SCALE
    }
  }
}
