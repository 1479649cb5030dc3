/**
 * OpenCV 4.6's filters as ImageNet-C's defocus blur calls them: cv2.getGaussianKernel,
 * cv2.GaussianBlur on float32 and cv2.filter2D on float64, all with BORDER_REFLECT_101.
 */
import { boundaryIndex } from './boundary.ts'

const f32 = Math.fround

/** f32(a·b + c) with one rounding of the product and sum, as an FMA3 instruction does. */
function fusedMultiplyAdd(a: number, b: number, c: number): number {
  return f32(a * b + c)
}

/**
 * cv2.getGaussianKernel(n, σ > 0, CV_32F): OpenCV's bit-exact version (exp at doubled positions,
 * normalised by the reciprocal of the sum), rounded to float32.
 */
export function opencvGaussianKernel(n: number, sigma: number): Float32Array {
  if (!(Number.isInteger(n) && n % 2 === 1 && sigma > 0)) {
    throw new RangeError(`getGaussianKernel needs an odd size and σ > 0, got ${n} and ${sigma}.`)
  }
  const half = (n - 1) / 2
  const scale = -0.125 / (sigma * sigma)
  const values = new Float64Array(half)
  let sum = 0
  for (let i = 0, x = 1 - n; i < half; i++, x += 2) {
    values[i] = Math.exp(x * x * scale)
    sum += values[i]
  }
  sum = sum * 2 + 1
  const reciprocal = 1 / sum
  const kernel = new Float32Array(n)
  for (let i = 0; i < half; i++) kernel[i] = kernel[n - 1 - i] = values[i] * reciprocal
  kernel[half] = reciprocal
  return kernel
}

/**
 * One output of the symmetric 3- or 5-tap float32 filter (`k` centre first, `at(d)` the sample d
 * away) in the operation order of OpenCV's AVX2 build: the row pass's 8-wide vector part adds
 * the centre last; its scalar tail and the column pass add it first.
 */
function symmetricTap(at: (d: number) => number, k: Float32Array, isRowVector: boolean): number {
  const near = f32(at(-1) + at(1))
  const inner = isRowVector
    ? fusedMultiplyAdd(at(0), k[0], f32(near * k[1]))
    : fusedMultiplyAdd(near, k[1], f32(at(0) * k[0]))
  return k.length === 2 ? inner : fusedMultiplyAdd(f32(at(-2) + at(2)), k[2], inner)
}

/**
 * cv2.GaussianBlur(image, (ksize, ksize), σ) on a single-channel float32 image (ksize 3 or 5),
 * bit-exact with OpenCV 4.6's AVX2 path (the machine that made the goldens).
 */
export function opencvGaussianBlur32(
  data: Float32Array,
  width: number,
  height: number,
  ksize: 3 | 5,
  sigma: number,
): Float32Array {
  const full = opencvGaussianKernel(ksize, sigma)
  const half = (ksize - 1) / 2
  const k = full.slice(half)
  const rows = new Float32Array(data.length)
  const vectorWidth = width - (width % 8)
  for (let y = 0; y < height; y++) {
    const at0 = y * width
    for (let x = 0; x < width; x++) {
      const at = (d: number): number => data[at0 + boundaryIndex(x + d, width, 'mirror')]
      rows[at0 + x] = symmetricTap(at, k, x < vectorWidth)
    }
  }
  const out = new Float32Array(data.length)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (d: number): number => rows[boundaryIndex(y + d, height, 'mirror') * width + x]
      out[y * width + x] = symmetricTap(at, k, false)
    }
  }
  return out
}

/**
 * cv2.filter2D(channel, -1, kernel) on each channel of an interleaved float64 image, kernel
 * centred (odd, square), borders REFLECT_101. OpenCV correlates by DFT for kernels this large;
 * the direct sum here differs from it only in the last bits.
 */
export function opencvFilter2D(
  data: Float64Array,
  width: number,
  height: number,
  channels: number,
  kernel: Float32Array,
  ksize: number,
): Float64Array {
  const anchor = (ksize - 1) / 2
  const paddedWidth = width + 2 * anchor
  const groups = mirroredTapGroups(kernel, ksize, paddedWidth)
  const out = new Float64Array(data.length)
  const row = new Float64Array(width)
  for (let c = 0; c < channels; c++) {
    const plane = paddedPlane(data, width, height, channels, c, anchor)
    for (let y = 0; y < height; y++) {
      row.fill(0)
      const base = y * paddedWidth
      for (const { weight: w, offsets } of groups) {
        const a = base + offsets[0]
        if (offsets.length === 1) {
          for (let x = 0; x < width; x++) row[x] += w * plane[a + x]
        } else if (offsets.length === 2) {
          const b = base + offsets[1]
          for (let x = 0; x < width; x++) row[x] += w * (plane[a + x] + plane[b + x])
        } else {
          const [b, d, e] = [base + offsets[1], base + offsets[2], base + offsets[3]]
          for (let x = 0; x < width; x++) {
            row[x] += w * (plane[a + x] + plane[b + x] + (plane[d + x] + plane[e + x]))
          }
        }
      }
      for (let x = 0; x < width; x++) out[(y * width + x) * channels + c] = row[x]
    }
  }
  return out
}

/**
 * The kernel's non-zero taps as offsets into a padded plane, taps that mirror each other
 * (left–right, up–down) with the very same weight grouped to share one multiply: a disk kernel
 * is mostly zeros and four-fold symmetric, so this cuts the work by about four.
 */
function mirroredTapGroups(
  kernel: Float32Array,
  ksize: number,
  paddedWidth: number,
): { weight: number; offsets: number[] }[] {
  const groups: { weight: number; offsets: number[] }[] = []
  const last = ksize - 1
  for (let i = 0; i <= last / 2; i++) {
    for (let j = 0; j <= last / 2; j++) {
      const rows = i === last - i ? [i] : [i, last - i]
      const cols = j === last - j ? [j] : [j, last - j]
      const corners = rows.flatMap((r) => cols.map((c) => ({ tap: r * ksize + c, r, c })))
      const weight = kernel[corners[0].tap]
      const offsets = corners.map(({ r, c }) => r * paddedWidth + c)
      if (corners.every(({ tap }) => kernel[tap] === weight)) {
        if (weight !== 0) groups.push({ weight, offsets })
        continue
      }
      corners.forEach(({ tap }, k) => {
        if (kernel[tap] !== 0) groups.push({ weight: kernel[tap], offsets: [offsets[k]] })
      })
    }
  }
  return groups
}

/** Channel `c` of the image with `pad` samples of REFLECT_101 border on every side. */
function paddedPlane(
  data: Float64Array,
  width: number,
  height: number,
  channels: number,
  c: number,
  pad: number,
): Float64Array {
  const paddedWidth = width + 2 * pad
  const plane = new Float64Array((height + 2 * pad) * paddedWidth)
  for (let y = 0; y < height + 2 * pad; y++) {
    const sy = boundaryIndex(y - pad, height, 'mirror')
    for (let x = 0; x < paddedWidth; x++) {
      const sx = boundaryIndex(x - pad, width, 'mirror')
      plane[y * paddedWidth + x] = data[(sy * width + sx) * channels + c]
    }
  }
  return plane
}
