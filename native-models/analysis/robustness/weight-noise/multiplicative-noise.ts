import { createRandomStream } from '../../uncertainty/xoshiro128.ts'

const TWO_POW_32 = 2 ** 32

/**
 * The seed of one tensor's draws in one sample: the same (seed, sample, tensor index) gives the
 * same standard normals z for every σ and every checkpoint with the same targets, so curves over
 * σ and comparisons of two checkpoints are paired (common random numbers).
 */
export function weightNoiseSeed(seed: number, sample: number, tensorIndex: number): number {
  return (seed * 1_000 + sample) * 10_000 + tensorIndex
}

/**
 * θ·ξ with ξ = 1 + σ·z, z ~ N(0, 1) (DAMP's multiplicative noise), in float64 then rounded to
 * float32. Box–Muller on xoshiro128** pairs, both outputs used.
 */
export function multiplicativeNoise(
  values: Float32Array,
  sigma: number,
  seed: number,
): Float32Array {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`σ must be finite and ≥ 0, got ${sigma}.`)
  }
  const out = new Float32Array(values.length)
  if (sigma === 0) {
    out.set(values)
    return out
  }
  const stream = createRandomStream(seed)
  for (let i = 0; i < values.length; i += 2) {
    const u = 1 - (stream.nextUint32() + 0.5) / TWO_POW_32
    const v = stream.nextUint32() / TWO_POW_32
    const radius = Math.sqrt(-2 * Math.log(u))
    out[i] = values[i] * (1 + sigma * radius * Math.cos(2 * Math.PI * v))
    if (i + 1 < values.length) {
      out[i + 1] = values[i + 1] * (1 + sigma * radius * Math.sin(2 * Math.PI * v))
    }
  }
  return out
}
