/**
 * ImageMagick 6's MotionBlurImage (magick/effect.c, 6.9.11 Q16 without HDRI, as Wand calls it in
 * the reference) on 8-bit pixels, including the 8 → 16 → 8 bit round trip of its quantum and
 * of its PNG blob.
 */

export interface MotionBlurParameters {
  radius: number
  sigma: number
  angleDegrees: number
}

// MagickSQ2PI, the double nearest √(2π).
const SQRT_2PI = 2.5066282746310002
const MAGICK_EPSILON = 1e-12
const QUANTUM_RANGE = 65535

/** GetOptimalKernelWidth1D for a radius > 0: 2·ceil(radius) + 1. */
function kernelWidth(radius: number): number {
  if (!(radius > MAGICK_EPSILON)) {
    throw new RangeError(`A motion blur needs a radius > 0, got ${radius}.`)
  }
  return 2 * Math.ceil(radius) + 1
}

/** One-sided Gaussian weights exp(−i²/2σ²) for i = 0 … width−1, normalised (GetMotionBlurKernel). */
function motionKernel(width: number, sigma: number): Float64Array {
  const s = Math.abs(sigma) < MAGICK_EPSILON ? MAGICK_EPSILON : sigma
  const kernel = new Float64Array(width)
  let normalize = 0
  for (let i = 0; i < width; i++) {
    kernel[i] = Math.exp(-(i * i) / (2 * s * s)) / (SQRT_2PI * s)
    normalize += kernel[i]
  }
  for (let i = 0; i < width; i++) kernel[i] /= normalize
  return kernel
}

/** Where tap i reads, relative to the pixel: i steps along the angle, rounded half down. */
function tapOffsets(width: number, angleDegrees: number): { dx: Int32Array; dy: Int32Array } {
  const radians = (Math.PI * angleDegrees) / 180
  const pointX = width * Math.sin(radians)
  const pointY = width * Math.cos(radians)
  const length = Math.hypot(pointX, pointY)
  const dx = new Int32Array(width)
  const dy = new Int32Array(width)
  for (let i = 0; i < width; i++) {
    dx[i] = Math.trunc(Math.ceil((i * pointY) / length - 0.5))
    dy[i] = Math.trunc(Math.ceil((i * pointX) / length - 0.5))
  }
  return { dx, dy }
}

/**
 * The 16-bit quantum as the PNG writer stores it at depth 8: ScaleQuantumToAny(q, 255), which
 * truncates (ScaleQuantumToChar would round).
 */
function quantumToByte(quantum: number): number {
  return Math.trunc((255 * quantum) / QUANTUM_RANGE)
}

/**
 * Blurs interleaved 8-bit pixels (height × width × channels) along a line: each output is the
 * weighted sum of the pixels i = 0 … 2·ceil(radius) steps towards the angle (0° = +x, 90° = +y),
 * edge pixels repeated beyond the border.
 */
export function imageMagickMotionBlur(
  bytes: Uint8Array,
  width: number,
  height: number,
  channels: number,
  { radius, sigma, angleDegrees }: MotionBlurParameters,
): Uint8Array {
  const taps = kernelWidth(radius)
  const kernel = motionKernel(taps, sigma)
  const { dx, dy } = tapOffsets(taps, angleDegrees)
  // Where tap i reads for column x, edge pixels repeated (ImageMagick's default virtual pixels).
  const columnOffsets = new Int32Array(taps * width)
  for (let i = 0; i < taps; i++) {
    for (let x = 0; x < width; x++) {
      columnOffsets[i * width + x] = Math.min(Math.max(x + dx[i], 0), width - 1) * channels
    }
  }
  const rowLength = width * channels
  const out = new Uint8Array(bytes.length)
  const sums = new Float64Array(rowLength)
  for (let y = 0; y < height; y++) {
    sums.fill(0)
    // Tap by tap over the row: each pixel still adds its taps in ImageMagick's order.
    for (let i = 0; i < taps; i++) {
      const row = Math.min(Math.max(y + dy[i], 0), height - 1) * rowLength
      const k = kernel[i]
      for (let x = 0; x < width; x++) {
        const source = row + columnOffsets[i * width + x]
        for (let c = 0; c < channels; c++) sums[x * channels + c] += k * (bytes[source + c] * 257)
      }
    }
    for (let j = 0; j < rowLength; j++) {
      const sum = sums[j]
      const quantum = sum <= 0 ? 0 : sum >= QUANTUM_RANGE ? QUANTUM_RANGE : Math.trunc(sum + 0.5)
      out[y * rowLength + j] = quantumToByte(quantum)
    }
  }
  return out
}
