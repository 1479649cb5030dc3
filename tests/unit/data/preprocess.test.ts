import { describe, expect, it } from 'vitest'
import type { Preprocessing } from '../../../electron/api/contract/index.ts'
import { planPreprocessing, preprocessInto } from '../../../native-models/data/preprocess.ts'
import type { RawImage } from '../../../native-models/data/types.ts'
import { expectCodedError, thrownBy } from '../../fixtures/data/builders.ts'

const f32 = Math.fround
const BASE: Preprocessing = {
  resize: null,
  centerCrop: null,
  pad: 0,
  grayToRgb: false,
  mean: [0],
  std: [1],
  inputSize: [2, 3],
}

function gray(width: number, height: number, values: number[]): RawImage {
  return { data: Uint8Array.from(values), width, height, channels: 1 }
}

function run(
  image: RawImage,
  preprocessing: Preprocessing,
  channels = image.channels,
): Float32Array {
  const plan = planPreprocessing(preprocessing, channels)
  const target = new Float32Array(plan.channels * plan.height * plan.width)
  preprocessInto(image, plan, target, 0, 'img.png')
  return target
}

describe('preprocessInto', () => {
  it('divides by 255 then normalises in float32, as torchvision does', () => {
    const out = run(gray(3, 2, [0, 1, 127, 128, 254, 255]), {
      ...BASE,
      mean: [0.485],
      std: [0.229],
    })
    const expected = [0, 1, 127, 128, 254, 255].map((v) =>
      f32(f32(f32(v / 255) - f32(0.485)) / f32(0.229)),
    )
    expect([...out]).toEqual(expected)
  })

  it('pads with zeros before normalisation and replicates gray into three channels', () => {
    const out = run(gray(1, 1, [255]), {
      ...BASE,
      pad: 1,
      grayToRgb: true,
      mean: [0.5],
      std: [0.5],
      inputSize: [3, 3],
    })
    const plane = [-1, -1, -1, -1, 1, -1, -1, -1, -1]
    expect([...out]).toEqual([...plane, ...plane, ...plane])
  })

  it('lays RGB pixels out as planar CHW with per-channel statistics', () => {
    const image: RawImage = {
      data: Uint8Array.from([255, 0, 51, 0, 255, 102]),
      width: 2,
      height: 1,
      channels: 3,
    }
    const out = run(image, { ...BASE, mean: [0, 0, 0.2], std: [1, 0.5, 1], inputSize: [1, 2] })
    expect([...out]).toEqual([
      1,
      0,
      0,
      2,
      f32(f32(f32(51 / 255) - f32(0.2))),
      f32(f32(f32(102 / 255) - f32(0.2))),
    ])
  })

  it('reports an image that does not end at the input size, with both sizes and the fix', () => {
    expect(() => run(gray(4, 2, new Array<number>(8).fill(0)), BASE)).toThrow(
      expect.objectContaining({
        code: 'SHAPE_MISMATCH',
        message:
          "'img.png' is 4×2 after preprocessing but the input size is 3×2: set resize, centerCrop or pad so that every image ends at the input size.",
      }),
    )
  })

  it('reports an RGB image in a gray dataset', () => {
    const image: RawImage = { data: new Uint8Array(18), width: 3, height: 2, channels: 3 }
    expect(() => run(image, BASE, 1)).toThrow("'img.png' is RGB but the dataset's images are gray")
  })
})

describe('planPreprocessing', () => {
  it('refuses three means for gray images without grayToRgb', () => {
    expectCodedError(
      thrownBy(() => planPreprocessing({ ...BASE, mean: [0.1, 0.2, 0.3], std: [1, 1, 1] }, 1)),
      'INVALID_ARGUMENT',
      'have 1 channel(s): give one mean and one std, or set grayToRgb.',
    )
  })

  it('outputs three channels for gray images with grayToRgb', () => {
    expect(planPreprocessing({ ...BASE, grayToRgb: true }, 1)).toMatchObject({
      channels: 3,
      height: 2,
      width: 3,
    })
  })
})
