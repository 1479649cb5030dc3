// OpenCV 4.x imgproc/src/canny.cpp (cv::Canny, one 8-bit channel, aperture 3, L1 gradient),
// step for step: the result is exactly OpenCV's.

/** tan(22.5°) in Q15, as canny.cpp's TG22. */
const TG22 = 13573

/**
 * cv2.Canny(image, low, high) on one 8-bit channel (height × width, row-major): 3×3 Sobel with
 * BORDER_REPLICATE, magnitude |dx| + |dy|, non-maximum suppression in four directions, then
 * hysteresis over 8-neighbours. Returns 255 on edges, 0 elsewhere.
 */
export function canny(
  src: Uint8Array,
  width: number,
  height: number,
  lowThreshold: number,
  highThreshold: number,
): Uint8Array {
  if (src.length !== width * height) {
    throw new RangeError(`canny: a ${width}×${height} image has ${width * height} bytes.`)
  }
  const low = Math.floor(Math.min(lowThreshold, highThreshold))
  const high = Math.floor(Math.max(lowThreshold, highThreshold))
  const { dx, dy } = sobel3(src, width, height)

  // Magnitudes with a zero frame (the rows above/below and columns left/right of the image).
  const magStep = width + 2
  const mag = new Int32Array((height + 2) * magStep)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      mag[(y + 1) * magStep + x + 1] = Math.abs(dx[i]) + Math.abs(dy[i])
    }
  }

  // 0: might be an edge, 1: cannot be, 2: is an edge. The frame is 1, so tracking stops there.
  const map = new Uint8Array((height + 2) * magStep).fill(1)
  const stack = new Int32Array(width * height)
  let top = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y + 1) * magStep + x + 1
      const m = mag[p]
      if (m <= low || !isLocalMaximum(m, p, dx[y * width + x], dy[y * width + x], mag, magStep)) {
        continue
      }
      if (m > high) {
        map[p] = 2
        stack[top++] = p
      } else {
        map[p] = 0
      }
    }
  }

  const neighbours = [
    -magStep - 1,
    -magStep,
    -magStep + 1,
    -1,
    1,
    magStep - 1,
    magStep,
    magStep + 1,
  ]
  while (top > 0) {
    const p = stack[--top]
    for (const offset of neighbours) {
      const q = p + offset
      if (map[q] === 0) {
        map[q] = 2
        stack[top++] = q
      }
    }
  }

  const edges = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (map[(y + 1) * magStep + x + 1] === 2) edges[y * width + x] = 255
    }
  }
  return edges
}

/** Canny's non-maximum test along the gradient direction, in canny.cpp's fixed point. */
function isLocalMaximum(
  m: number,
  p: number,
  xs: number,
  ys: number,
  mag: Int32Array,
  magStep: number,
): boolean {
  const ax = Math.abs(xs)
  const ay = Math.abs(ys) * 32768
  const tg22x = ax * TG22
  if (ay < tg22x) return m > mag[p - 1] && m >= mag[p + 1]
  const tg67x = tg22x + ax * 65536
  if (ay > tg67x) return m > mag[p - magStep] && m >= mag[p + magStep]
  const s = (xs ^ ys) < 0 ? -1 : 1
  return m > mag[p - magStep - s] && m > mag[p + magStep + s]
}

/** cv2.Sobel(src, CV_16S, 1, 0, 3) and (0, 1, 3) with BORDER_REPLICATE. */
function sobel3(
  src: Uint8Array,
  width: number,
  height: number,
): { dx: Int32Array; dy: Int32Array } {
  const dx = new Int32Array(width * height)
  const dy = new Int32Array(width * height)
  for (let y = 0; y < height; y++) {
    const up = Math.max(0, y - 1) * width
    const row = y * width
    const down = Math.min(height - 1, y + 1) * width
    for (let x = 0; x < width; x++) {
      const left = Math.max(0, x - 1)
      const right = Math.min(width - 1, x + 1)
      dx[row + x] =
        src[up + right] -
        src[up + left] +
        2 * (src[row + right] - src[row + left]) +
        src[down + right] -
        src[down + left]
      dy[row + x] =
        src[down + left] -
        src[up + left] +
        2 * (src[down + x] - src[up + x]) +
        src[down + right] -
        src[up + right]
    }
  }
  return { dx, dy }
}
