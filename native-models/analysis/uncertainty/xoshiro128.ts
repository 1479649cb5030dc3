// The bootstrap's random stream, specified so another language can replay it bit for bit:
//  1. splitmix64 from state = seed (mod 2^64): state += 0x9E3779B97F4A7C15;
//     z = state; z = (z ^ z >> 30) * 0xBF58476D1CE4E5B9; z = (z ^ z >> 27) * 0x94D049BB133111EB;
//     output z ^ z >> 31 (all mod 2^64).
//  2. xoshiro128** 1.0 (Blackman & Vigna, prng.di.unimi.it) with state [s0, s1, s2, s3] =
//     [low, high] 32 bits of the first splitmix64 output, then of the second.
//  3. An index below n: draw x until x < n · floor(2^32 / n), return x mod n (no modulo bias).

const UINT64_MASK = (1n << 64n) - 1n

export interface RandomStream {
  /** The next xoshiro128** output, an integer in [0, 2^32). */
  nextUint32(): number
  /** A uniform integer in [0, n) by rejection; n at most 2^32. */
  nextIndexBelow(n: number): number
}

/** splitmix64 outputs from `seed`, as unsigned 64-bit bigints. */
export function splitmix64(seed: bigint): () => bigint {
  let state = seed & UINT64_MASK
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & UINT64_MASK
    let z = state
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & UINT64_MASK
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & UINT64_MASK
    return z ^ (z >> 31n)
  }
}

function rotateLeft(x: number, bits: number): number {
  return (x << bits) | (x >>> (32 - bits))
}

/** A seeded xoshiro128** stream; the same seed always gives the same numbers. */
export function createRandomStream(seed: number): RandomStream {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative safe integer, got ${seed}.`)
  }
  const next64 = splitmix64(BigInt(seed))
  const first = next64()
  const second = next64()
  const low = (word: bigint): number => Number(word & 0xffffffffn)
  const high = (word: bigint): number => Number(word >> 32n)
  return xoshiro128StarStar([low(first), high(first), low(second), high(second)])
}

/** xoshiro128** from an explicit state of four unsigned 32-bit words (not all zero). */
export function xoshiro128StarStar(state: readonly [number, number, number, number]): RandomStream {
  let [s0, s1, s2, s3] = state.map((word) => word | 0)
  const nextUint32 = (): number => {
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0
    const shifted = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= shifted
    s3 = rotateLeft(s3, 11)
    return result
  }
  const nextIndexBelow = (n: number): number => {
    const limit = n * Math.floor(2 ** 32 / n)
    let x = nextUint32()
    while (x >= limit) x = nextUint32()
    return x % n
  }
  return { nextUint32, nextIndexBelow }
}
