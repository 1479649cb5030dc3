import { describe, expect, it } from 'vitest'
import { BLUR_CORRUPTIONS } from '../../../../native-models/analysis/robustness/corruptions/blur/index.ts'
import { motionBlur } from '../../../../native-models/analysis/robustness/corruptions/blur/motion-blur.ts'
import { numpyArange } from '../../../../native-models/analysis/robustness/corruptions/blur/zoom-blur.ts'
import { glassBlur } from '../../../../native-models/analysis/robustness/corruptions/blur/glass-blur.ts'
import {
  recordingRandom,
  seededRandom,
} from '../../../../native-models/analysis/robustness/corruptions/index.ts'
import type {
  CorruptionRandom,
  RgbImage,
} from '../../../../native-models/analysis/robustness/corruptions/index.ts'
import { jpegRoundTrip } from '../../../../native-models/data/jpeg-round-trip.ts'

function grayRamp(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3)
  for (let i = 0; i < width * height; i++) data.fill((i * 37) % 256, 3 * i, 3 * i + 3)
  return { width, height, data }
}

const call = (random: CorruptionRandom) =>
  ({ severity: 5, table: 32, random, jpeg: jpegRoundTrip }) as const

describe('the blur corruptions', () => {
  it('keep a gray image gray and its size, square or not', async () => {
    for (const corruption of BLUR_CORRUPTIONS) {
      expect(corruption.addsColour).toBe(false)
      for (const [width, height] of [
        [32, 32],
        [40, 24],
        [24, 40],
      ]) {
        const out = await corruption.apply(grayRamp(width, height), call(seededRandom(1)))
        expect([out.width, out.height, out.data.length]).toEqual([
          width,
          height,
          width * height * 3,
        ])
        for (let i = 0; i < out.data.length; i += 3) {
          expect(out.data[i + 1], `${corruption.name} at ${i / 3}`).toBe(out.data[i])
          expect(out.data[i + 2], `${corruption.name} at ${i / 3}`).toBe(out.data[i])
        }
      }
    }
  })

  it('zoom through as many factors as np.arange, whose stop is often reached by rounding', () => {
    const lengths = (
      [
        [1, 1.06, 0.01],
        [1, 1.11, 0.01],
        [1, 1.16, 0.01],
        [1, 1.21, 0.01],
        [1, 1.26, 0.01],
        [1, 1.21, 0.02],
        [1, 1.26, 0.02],
        [1, 1.31, 0.03],
      ] as const
    ).map((range) => numpyArange(range).length)
    expect(lengths).toEqual([7, 12, 16, 21, 26, 11, 13, 11])
    expect(numpyArange([1, 1.06, 0.01])[6]).toBeCloseTo(1.06, 12)
  })

  it('draw glass-blur offsets in one batch per pass, two per shuffled pixel', async () => {
    const { random, draws } = recordingRandom(seededRandom(2))
    // 32-px severity 5: δ = 1, two passes over (32 − 2)² pixels.
    await glassBlur.apply(grayRamp(32, 32), call(random))
    expect(draws.map((d) => [d.kind, d.size, ...d.params])).toEqual([
      ['integers', 1800, -1, 1],
      ['integers', 1800, -1, 1],
    ])
  })

  it('streak a bright pixel along the motion angle, towards −x at 0°', async () => {
    const image = { width: 32, height: 9, data: new Uint8Array(32 * 9 * 3) }
    image.data.fill(255, (4 * 32 + 20) * 3, (4 * 32 + 21) * 3)
    const atZeroDegrees = { ...seededRandom(3), uniform: () => new Float64Array([0]) }
    const out = await motionBlur.apply(image, call(atZeroDegrees))
    const lit = []
    for (let i = 0; i < 32 * 9; i++) if (out.data[3 * i] > 0) lit.push([i % 32, Math.floor(i / 32)])
    // 32-px severity 5: radius 9, 19 taps; the heaviest (σ = 2.5) are the nearest.
    expect(lit.every(([, y]) => y === 4)).toBe(true)
    expect(lit.map(([x]) => x)).toEqual(
      Array.from({ length: lit.length }, (_, k) => 20 - k).reverse(),
    )
    expect(out.data[(4 * 32 + 20) * 3]).toBeGreaterThan(out.data[(4 * 32 + 15) * 3])
  })
})
