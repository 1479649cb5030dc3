import type { SeededRandom } from '../../../surgery/prng.ts'

/**
 * `count` uniform integers in [0, 2^53) for the graph's draws input; the graph takes each modulo
 * a tap's size, so one set of draws serves every tap, batch size and spatial size.
 */
export function drawSamplePositions(random: SeededRandom, count: number): BigInt64Array {
  const draws = new BigInt64Array(count)
  for (let i = 0; i < count; i += 1) {
    const high = BigInt(random.nextUint32() >>> 11)
    draws[i] = (high << 32n) | BigInt(random.nextUint32())
  }
  return draws
}
