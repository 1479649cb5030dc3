import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Preprocessing } from '../../../electron/api/contract/index.ts'
import { decodeImageBytes, decodeImageFile } from '../../../native-models/data/decode-image.ts'
import { geometricSteps } from '../../../native-models/data/preprocess.ts'
import type { RawImage, ResampleFilter } from '../../../native-models/data/types.ts'
import { PARITY_FOLDER } from '../../fixtures/data/builders.ts'

// Goldens: tests/reference/data_preprocess_goldens.py (torchvision 0.14 Resize + CenterCrop on PIL 9.4).
interface GoldenCase {
  file: string
  decoded: { mode: string; width: number; height: number; sha256: string }
  resize: number | null
  centerCrop: number | null
  outputs: Record<ResampleFilter, { shape: [number, number, number]; png: string }>
}

const goldens = JSON.parse(readFileSync(join(PARITY_FOLDER, 'goldens.json'), 'utf8')) as {
  cases: GoldenCase[]
}
// torchvision's interpolation modes (BOX serves ImageNet-C's pixelate, checked by its goldens).
const FILTERS = ['bilinear', 'bicubic'] as const satisfies readonly ResampleFilter[]

function steps(golden: GoldenCase): Preprocessing {
  return {
    resize: golden.resize,
    centerCrop: golden.centerCrop,
    pad: 0,
    grayToRgb: false,
    mean: [0],
    std: [1],
    inputSize: [1, 1],
  }
}

function maxDifference(a: RawImage['data'], b: RawImage['data']): number {
  let max = 0
  for (let i = 0; i < a.length; i += 1) max = Math.max(max, Math.abs(a[i] - b[i]))
  return max
}

describe('preprocessing parity with torchvision on PIL images', () => {
  it('covers at least 20 JPEGs of odd sizes, gray and colour, plus PNGs', () => {
    expect(goldens.cases.filter((c) => c.file.endsWith('.jpg')).length).toBeGreaterThanOrEqual(20)
    expect(new Set(goldens.cases.map((c) => c.decoded.mode))).toEqual(new Set(['RGB', 'L']))
  })

  it.each(goldens.cases.map((c) => [c.file, c] as const))(
    'decodes %s exactly as PIL does',
    async (_, golden) => {
      const image = await decodeImageFile(join(PARITY_FOLDER, golden.file))
      expect([image.width, image.height, image.channels]).toEqual([
        golden.decoded.width,
        golden.decoded.height,
        golden.decoded.mode === 'L' ? 1 : 3,
      ])
      expect(createHash('sha256').update(image.data).digest('hex')).toBe(golden.decoded.sha256)
    },
  )

  const differences: Record<(typeof FILTERS)[number], number[]> = { bilinear: [], bicubic: [] }

  it.each(goldens.cases.flatMap((c) => FILTERS.map((filter) => [c.file, filter, c] as const)))(
    'resizes and center-crops %s with %s within 1 level of torchvision',
    async (_, filter, golden) => {
      const image = await decodeImageFile(join(PARITY_FOLDER, golden.file))
      const expected = await decodeImageBytes(
        Buffer.from(golden.outputs[filter].png, 'base64'),
        'golden.png',
      )
      const actual = geometricSteps(image, steps(golden), filter)
      expect([actual.height, actual.width, actual.channels]).toEqual(golden.outputs[filter].shape)
      const difference = maxDifference(actual.data, expected.data)
      differences[filter].push(difference)
      expect(difference).toBeLessThanOrEqual(1)
    },
  )

  it('is in fact level-exact on every golden (measured maximum difference 0)', () => {
    for (const filter of FILTERS) {
      expect(differences[filter]).toHaveLength(goldens.cases.length)
      expect(Math.max(...differences[filter])).toBe(0)
    }
  })
})
