// OpenCV imgproc/src/histogram.cpp (cv::equalizeHist), step for step.

/** cvRound on a float: to the nearest integer, ties to even (SSE2 cvtss2si). */
function roundHalfEven(v: number): number {
  const r = Math.round(v)
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/**
 * cv2.equalizeHist on one 8-bit channel: the lowest present level maps to 0, level i to
 * saturate_cast<uchar>(cumulative count above the lowest · 255 / (total − its count)), in float32.
 */
export function equalizeHist(src: Uint8Array): Uint8Array {
  const hist = new Int32Array(256)
  for (let i = 0; i < src.length; i++) hist[src[i]]++
  let first = 0
  while (first < 256 && hist[first] === 0) first++
  const out = new Uint8Array(src.length)
  if (first === 256) return out
  if (hist[first] === src.length) return out.fill(first)

  const scale = Math.fround(255 / (src.length - hist[first]))
  const lut = new Uint8Array(256)
  let sum = 0
  for (let i = first + 1; i < 256; i++) {
    sum += hist[i]
    const v = roundHalfEven(Math.fround(sum * scale))
    lut[i] = v < 0 ? 0 : v > 255 ? 255 : v
  }
  for (let i = 0; i < src.length; i++) out[i] = lut[src[i]]
  return out
}
