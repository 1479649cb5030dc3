import { createRandomStream } from '../../uncertainty/xoshiro128.ts'
import type { RandomStream } from '../../uncertainty/xoshiro128.ts'

/**
 * The random draws the corruptions make, named after the NumPy calls of the reference code, so a
 * golden script can replay exactly these values in place of NumPy's (see `recordingRandom`).
 */
export interface CorruptionRandom {
  /** np.random.normal(loc, scale, size) */
  normal(size: number, loc: number, scale: number): Float64Array
  /** np.random.uniform(low, high, size): values in [low, high) */
  uniform(size: number, low: number, high: number): Float64Array
  /** np.random.randint(low, high, size): integers in [low, high) */
  integers(size: number, low: number, high: number): Int32Array
  /** np.random.poisson(lam) for each λ */
  poisson(lambdas: Float64Array): Float64Array
  /** A boolean mask, true with probability p (skimage's salt-and-pepper draws) */
  bernoulli(size: number, p: number): Uint8Array
  /**
   * Keeps an image the reference reads from a file (cv2.imread: height × width × 3 BGR bytes)
   * and the port generates instead, so a replay can hand the reference the same image. Not a
   * draw: only recording sources implement it.
   */
  recordTexture?(height: number, width: number, bgr: Uint8Array): void
}

export interface RecordedDraw {
  kind: 'normal' | 'uniform' | 'integers' | 'poisson' | 'bernoulli' | 'texture'
  size: number
  /** The call's parameters: [loc, scale], [low, high], [] for poisson, [p], [h, w, 3] for a texture. */
  params: number[]
  values: number[]
}

const TWO_POW_53 = 2 ** 53

/** A uniform double in [0, 1) from 53 random bits (two 32-bit outputs). */
function unitInterval(stream: RandomStream): number {
  const high = stream.nextUint32() >>> 5
  const low = stream.nextUint32() >>> 6
  return (high * 67108864 + low) / TWO_POW_53
}

function standardNormal(stream: RandomStream): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u = 1 - unitInterval(stream)
  const v = unitInterval(stream)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

function logFactorial(k: number): number {
  let sum = 0
  for (let i = 2; i <= k; i++) sum += Math.log(i)
  return sum
}

/** Poisson(λ): multiplication for small λ, Hörmann's PTRS (as NumPy) for λ ≥ 10. */
function poissonSample(stream: RandomStream, lambda: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new RangeError(`A Poisson rate must be finite and ≥ 0, got ${lambda}.`)
  }
  if (lambda === 0) return 0
  if (lambda < 10) {
    const limit = Math.exp(-lambda)
    let k = 0
    let product = unitInterval(stream)
    while (product > limit) {
      k += 1
      product *= unitInterval(stream)
    }
    return k
  }
  const slam = Math.sqrt(lambda)
  const loglam = Math.log(lambda)
  const b = 0.931 + 2.53 * slam
  const a = -0.059 + 0.02483 * b
  const invalpha = 1.1239 + 1.1328 / (b - 3.4)
  const vr = 0.9277 - 3.6224 / (b - 2)
  for (;;) {
    const u = unitInterval(stream) - 0.5
    const v = unitInterval(stream)
    const us = 0.5 - Math.abs(u)
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43)
    if (us >= 0.07 && v <= vr) return k
    if (k < 0 || (us < 0.013 && v > us)) continue
    const lhs = Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
    const rhs = -lambda + k * loglam - logFactorial(k)
    if (lhs <= rhs) return k
  }
}

/** The corruptions' draws from a seeded xoshiro128** stream: the same seed, the same image. */
export function seededRandom(seed: number): CorruptionRandom {
  const stream = createRandomStream(seed)
  return {
    normal(size, loc, scale) {
      const out = new Float64Array(size)
      for (let i = 0; i < size; i++) out[i] = loc + scale * standardNormal(stream)
      return out
    },
    uniform(size, low, high) {
      const out = new Float64Array(size)
      for (let i = 0; i < size; i++) out[i] = low + (high - low) * unitInterval(stream)
      return out
    },
    integers(size, low, high) {
      if (!(Number.isInteger(low) && Number.isInteger(high) && high > low)) {
        throw new RangeError(`integers needs whole low < high, got [${low}, ${high}).`)
      }
      const out = new Int32Array(size)
      for (let i = 0; i < size; i++) out[i] = low + stream.nextIndexBelow(high - low)
      return out
    },
    poisson(lambdas) {
      const out = new Float64Array(lambdas.length)
      for (let i = 0; i < lambdas.length; i++) out[i] = poissonSample(stream, lambdas[i])
      return out
    },
    bernoulli(size, p) {
      const out = new Uint8Array(size)
      for (let i = 0; i < size; i++) out[i] = unitInterval(stream) < p ? 1 : 0
      return out
    },
  }
}

/** Wraps a random source and keeps every draw, for golden scripts that replay them. */
export function recordingRandom(inner: CorruptionRandom): {
  random: CorruptionRandom
  draws: RecordedDraw[]
} {
  const draws: RecordedDraw[] = []
  const keep = <T extends ArrayLike<number>>(
    kind: RecordedDraw['kind'],
    params: number[],
    values: T,
  ): T => {
    draws.push({ kind, size: values.length, params, values: Array.from(values) })
    return values
  }
  return {
    draws,
    random: {
      normal: (size, loc, scale) => keep('normal', [loc, scale], inner.normal(size, loc, scale)),
      uniform: (size, low, high) => keep('uniform', [low, high], inner.uniform(size, low, high)),
      integers: (size, low, high) => keep('integers', [low, high], inner.integers(size, low, high)),
      poisson: (lambdas) => keep('poisson', [], inner.poisson(lambdas)),
      bernoulli: (size, p) => keep('bernoulli', [p], inner.bernoulli(size, p)),
      recordTexture: (height, width, bgr) => {
        inner.recordTexture?.(height, width, bgr)
        keep('texture', [height, width, 3], bgr)
      },
    },
  }
}
