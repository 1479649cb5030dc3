import { describe, expect, it } from 'vitest'
import {
  corruptionNamed,
  SEVERITIES,
  seededRandom,
} from '../../../../native-models/analysis/robustness/corruptions/index.ts'
import type {
  CorruptionName,
  RgbImage,
} from '../../../../native-models/analysis/robustness/corruptions/index.ts'
import { jpegRoundTrip } from '../../../../native-models/data/jpeg-round-trip.ts'

const WEATHER: CorruptionName[] = ['snow', 'frost', 'fog', 'spatter']

function image(width: number, height: number, pixel: (i: number) => number[]): RgbImage {
  const data = new Uint8Array(width * height * 3)
  for (let i = 0; i < width * height; i++) data.set(pixel(i), i * 3)
  return { width, height, data }
}

describe('the weather corruptions', () => {
  it('keep a non-square image its size and give the same output for the same seed', async () => {
    const input = image(45, 30, (i) => [(i * 7) % 256, (i * 13) % 256, (i * 29) % 256])
    for (const name of WEATHER) {
      const run = (seed: number) =>
        corruptionNamed(name).apply(input, {
          severity: 3,
          table: 32,
          random: seededRandom(seed),
          jpeg: jpegRoundTrip,
        })
      const [first, again] = [await run(4), await run(4)]
      expect([first.width, first.height], name).toEqual([45, 30])
      expect(first.data, name).toEqual(again.data)
      expect(first.data, name).not.toEqual(input.data)
    }
  })

  it('colour a gray image exactly when they say they add colour', async () => {
    const gray = image(32, 32, (i) => [(i * 7) % 256, (i * 7) % 256, (i * 7) % 256])
    for (const name of WEATHER) {
      const corruption = corruptionNamed(name)
      let isColoured = false
      for (const severity of SEVERITIES) {
        const call = {
          severity,
          table: 32 as const,
          random: seededRandom(severity),
          jpeg: jpegRoundTrip,
        }
        const { data } = await corruption.apply(gray, call)
        for (let i = 0; i < data.length; i += 3) {
          if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) isColoured = true
        }
      }
      expect(isColoured, name).toBe(corruption.addsColour)
    }
  })

  it('say that frost uses generated textures, not the original photographs', () => {
    expect(corruptionNamed('frost').deviation).toMatch(/generated procedurally/)
    for (const name of ['snow', 'fog', 'spatter'] as const) {
      expect(corruptionNamed(name).deviation).toBeNull()
    }
  })
})
