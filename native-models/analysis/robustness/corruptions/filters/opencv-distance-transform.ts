// OpenCV imgproc/src/distransform.cpp (distanceTransform_5x5), step for step.

const DIST_SHIFT = 16
/** INT_MAX >> 2: the distance of cells outside the image. */
const INIT_DIST0 = 0x7fffffff >> 2
const BORDER = 2

/** CV_FLT_TO_FIX: the float mask weight in Q16, rounded as cvRound. */
function toFixed(weight: number): number {
  return Math.round(Math.fround(weight) * (1 << DIST_SHIFT))
}

/**
 * cv2.distanceTransform(src, cv2.DIST_L2, 5): the distance of each non-zero pixel to the
 * nearest zero pixel by the two-pass 5×5 chamfer mask (weights 1, 1.4, 2.1969 as OpenCV's
 * fixed point), as float32. With no zero pixel every distance is huge (about 8192 and up).
 */
export function distanceTransformL2Mask5(
  src: Uint8Array,
  width: number,
  height: number,
): Float32Array {
  const hv = toFixed(1)
  const diag = toFixed(1.4)
  const long = toFixed(2.1969)
  const step = width + 2 * BORDER
  const temp = new Int32Array((height + 2 * BORDER) * step).fill(INIT_DIST0)

  // The mask's forward half (rows above, then the pixel to the left) and its mirror image.
  const forward = [
    [-step * 2 - 1, long],
    [-step * 2 + 1, long],
    [-step - 2, long],
    [-step - 1, diag],
    [-step, hv],
    [-step + 1, diag],
    [-step + 2, long],
    [-1, hv],
  ]
  const offsets = Int32Array.from(forward, ([offset]) => offset)
  const weights = Int32Array.from(forward, ([, weight]) => weight)
  const taps = offsets.length

  for (let y = 0; y < height; y++) {
    const row = (y + BORDER) * step + BORDER
    for (let x = 0; x < width; x++) {
      const j = row + x
      if (src[y * width + x] === 0) {
        temp[j] = 0
        continue
      }
      let t0 = temp[j + offsets[0]] + weights[0]
      for (let k = 1; k < taps; k++) {
        const t = temp[j + offsets[k]] + weights[k]
        if (t < t0) t0 = t
      }
      temp[j] = t0
    }
  }

  const dist = new Float32Array(width * height)
  const scale = 1 / (1 << DIST_SHIFT)
  for (let y = height - 1; y >= 0; y--) {
    const row = (y + BORDER) * step + BORDER
    for (let x = width - 1; x >= 0; x--) {
      const j = row + x
      let t0 = temp[j]
      if (t0 > hv) {
        for (let k = 0; k < taps; k++) {
          const t = temp[j - offsets[k]] + weights[k]
          if (t < t0) t0 = t
        }
        temp[j] = t0
      }
      // (float)(t0 * scale): t0 becomes a float first, then an exact power-of-two scaling.
      dist[y * width + x] = Math.fround(t0) * scale
    }
  }
  return dist
}
