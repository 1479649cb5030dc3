// A seeded generator that gives the same numbers on every platform and Node/Electron version:
// xoshiro128** (32-bit integer ops only) seeded through splitmix64, uniform doubles from 53 bits,
// normals by Box–Muller in float64. Math.log/cos/sin are V8's fdlibm ports, identical everywhere.

const MASK64 = (1n << 64n) - 1n
const TWO_POW_53 = 9007199254740992

function splitmix64(state: bigint): { value: bigint; state: bigint } {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64
  let z = next
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64
  return { value: z ^ (z >> 31n), state: next }
}

/** FNV-1a 64 of a label, so every named tensor gets its own independent stream. */
function hashLabel(label: string): bigint {
  let hash = 0xcbf29ce484222325n
  for (const byte of new TextEncoder().encode(label)) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & MASK64
  }
  return hash
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}

export class SeededRandom {
  readonly #s = new Uint32Array(4)
  #spareNormal: number | null = null

  /** `seed` is any safe integer; `label` picks an independent stream for the same seed. */
  constructor(seed: number, label = '') {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Seed ${seed} is not a safe integer.`)
    let state = (BigInt.asUintN(64, BigInt(seed)) ^ hashLabel(label)) & MASK64
    for (let i = 0; i < 4; i += 2) {
      const step = splitmix64(state)
      state = step.state
      this.#s[i] = Number(step.value & 0xffffffffn)
      this.#s[i + 1] = Number(step.value >> 32n)
    }
    if (this.#s.every((word) => word === 0)) this.#s[0] = 1
  }

  /** A generator in a given xoshiro128** state: for checking against the reference vectors. */
  static fromState(words: readonly [number, number, number, number]): SeededRandom {
    const random = new SeededRandom(0)
    random.#s.set(words)
    return random
  }

  nextUint32(): number {
    const s = this.#s
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0
    const t = s[1] << 9
    s[2] = s[2] ^ s[0]
    s[3] = s[3] ^ s[1]
    s[1] = s[1] ^ s[2]
    s[0] = s[0] ^ s[3]
    s[2] = s[2] ^ t
    s[3] = rotl(s[3], 11)
    return result
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextFloat64(): number {
    const high = this.nextUint32() >>> 5
    const low = this.nextUint32() >>> 6
    return (high * 67108864 + low) / TWO_POW_53
  }

  nextNormal(): number {
    if (this.#spareNormal !== null) {
      const spare = this.#spareNormal
      this.#spareNormal = null
      return spare
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.nextFloat64()))
    const angle = 2 * Math.PI * this.nextFloat64()
    this.#spareNormal = radius * Math.sin(angle)
    return radius * Math.cos(angle)
  }

  /**
   * Fills with N(mean, std²) drawn in float64, then rounded to float32: the same numbers as calling
   * nextNormal() per element, two per Box–Muller pair (a hot loop: 25 M draws for a ResNet50).
   */
  fillNormal(target: Float32Array, mean: number, std: number): Float32Array {
    let i = 0
    if (this.#spareNormal !== null && target.length > 0)
      target[i++] = mean + std * this.nextNormal()
    for (; i + 1 < target.length; i += 2) {
      const radius = Math.sqrt(-2 * Math.log(1 - this.nextFloat64()))
      const angle = 2 * Math.PI * this.nextFloat64()
      target[i] = mean + std * (radius * Math.cos(angle))
      target[i + 1] = mean + std * (radius * Math.sin(angle))
    }
    if (i < target.length) target[i] = mean + std * this.nextNormal()
    return target
  }

  /** Fills with U[low, high) drawn in float64, then rounded to float32. */
  fillUniform(target: Float32Array, low: number, high: number): Float32Array {
    for (let i = 0; i < target.length; i += 1) target[i] = low + (high - low) * this.nextFloat64()
    return target
  }
}
