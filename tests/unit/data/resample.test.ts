import { describe, expect, it } from 'vitest'
import { resample } from '../../../native-models/data/resample.ts'
import type { RawImage } from '../../../native-models/data/types.ts'

function ramp(width: number, height: number, channels: number): RawImage {
  const data = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 7) % 256)
  return { data, width, height, channels }
}

describe('resample', () => {
  it.each(['bilinear', 'bicubic'] as const)(
    'keeps a constant image constant with %s, up and down',
    (filter) => {
      const image: RawImage = {
        data: new Uint8Array(13 * 9 * 3).fill(77),
        width: 13,
        height: 9,
        channels: 3,
      }
      for (const [w, h] of [
        [5, 4],
        [31, 20],
        [13, 2],
      ]) {
        const out = resample(image, w, h, filter)
        expect(out).toMatchObject({ width: w, height: h, channels: 3 })
        expect(new Set(out.data)).toEqual(new Set([77]))
      }
    },
  )

  it('copies the image when the size does not change', () => {
    const image = ramp(6, 4, 1)
    const out = resample(image, 6, 4, 'bicubic')
    expect(out.data).toEqual(image.data)
    expect(out.data).not.toBe(image.data)
  })

  // Expected values: Pillow 9.4's Image.resize on the same rows (Image.fromarray(np.array([[...]]))).
  it.each([
    [[0, 100, 50, 150], 2, 'bilinear', [50, 100]],
    [[10, 200, 30, 90, 250, 0, 70], 3, 'bicubic', [90, 122, 78]],
    [
      [10, 200, 30, 90, 250, 0, 70],
      11,
      'bilinear',
      [10, 96, 185, 76, 52, 90, 192, 182, 23, 38, 70],
    ],
    [
      [0, 0, 0, 255, 255, 255],
      17,
      'bicubic',
      [0, 0, 0, 0, 0, 0, 0, 26, 128, 229, 255, 255, 255, 255, 255, 255, 255],
    ],
  ] as const)(
    'resizes the row %j to %d pixels with %s as Pillow does',
    (row, width, filter, expected) => {
      const image: RawImage = {
        data: Uint8Array.from(row),
        width: row.length,
        height: 1,
        channels: 1,
      }
      expect([...resample(image, width, 1, filter).data]).toEqual(expected)
    },
  )

  it('resamples float32 pixels like Pillow mode F, without rounding', () => {
    const data = Float32Array.from([0, 0.25, 0.5, 0.75])
    const out = resample({ data, width: 4, height: 1, channels: 1 }, 2, 1, 'bilinear')
    expect(out.data).toBeInstanceOf(Float32Array)
    expect([...out.data]).toEqual([0.1785714328289032, 0.5714285969734192])
  })

  it.each(['bilinear', 'bicubic'] as const)(
    'computes a window equal to that part of the full %s result',
    (filter) => {
      const image = ramp(37, 23, 3)
      const full = resample(image, 29, 17, filter)
      const window = resample(image, 29, 17, filter, { left: 5, top: 3, width: 20, height: 11 })
      const expected: number[] = []
      for (let y = 3; y < 14; y += 1)
        expected.push(...full.data.subarray((y * 29 + 5) * 3, (y * 29 + 25) * 3))
      expect(window).toMatchObject({ width: 20, height: 11, channels: 3 })
      expect([...window.data]).toEqual(expected)
    },
  )

  it('refuses a window when one side keeps its size', () => {
    expect(() =>
      resample(ramp(8, 8, 1), 8, 4, 'bilinear', { left: 0, top: 0, width: 4, height: 4 }),
    ).toThrow(RangeError)
  })
})
