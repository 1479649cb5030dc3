import { describe, expect, it } from 'vitest'
import { pairedDeltaIntervals } from '../../../../native-models/analysis/t3a/paired-delta.ts'
import { bootstrapMeans } from '../../../../native-models/analysis/robustness/sweep/index.ts'
import { SeededRandom } from '../../../../native-models/surgery/prng.ts'

const settings = { resamples: 300, seed: 5, confidence: 0.95 }

function randomDifferences(n: number, disagree: number, random: SeededRandom): Int8Array {
  return Int8Array.from({ length: n }, () => {
    const u = random.nextFloat64()
    return u < disagree / 2 ? -1 : u < disagree ? 1 : 0
  })
}

describe('paired Δ intervals over discordant images', () => {
  it('equal the image-by-image bootstrap of the mean difference exactly', () => {
    const random = new SeededRandom(2, 't3a-paired-delta')
    const vectors = [0.02, 0.2, 0.9].map((rate) => randomDifferences(517, rate, random))
    const fast = pairedDeltaIntervals(vectors, settings)
    const plain = bootstrapMeans(
      vectors.map((v) => Float64Array.from(v)),
      settings,
    )
    expect(fast).toEqual(plain)
  })

  it('gives a point interval at the difference when every image moves the same way', () => {
    const [up, none] = pairedDeltaIntervals([new Int8Array(8).fill(1), new Int8Array(8)], settings)
    expect(up).toEqual({ estimate: 1, lower: 1, upper: 1 })
    expect(none).toEqual({ estimate: 0, lower: 0, upper: 0 })
  })

  it('refuses vectors of different lengths and gives NaN for no image', () => {
    expect(() => pairedDeltaIntervals([new Int8Array(2), new Int8Array(3)], settings)).toThrow(
      /same images/,
    )
    expect(pairedDeltaIntervals([new Int8Array(0)], settings)[0].estimate).toBeNaN()
  })
})
