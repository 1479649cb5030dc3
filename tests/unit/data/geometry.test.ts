import { describe, expect, it } from 'vitest'
import {
  centerCropPlan,
  resizedSize,
  roundHalfToEven,
} from '../../../native-models/data/geometry.ts'

describe('roundHalfToEven', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [58.5, 58],
    [59.5, 60],
    [3.2, 3],
    [3.7, 4],
    [4, 4],
  ])('rounds %d to %d as Python round() does', (value, expected) => {
    expect(roundHalfToEven(value)).toBe(expected)
  })
})

describe('resizedSize', () => {
  it('maps the shorter side to the size and truncates the longer one like int(size * long / short)', () => {
    expect(resizedSize({ width: 333, height: 517 }, 256)).toEqual({ width: 256, height: 397 })
    expect(resizedSize({ width: 640, height: 427 }, 256)).toEqual({ width: 383, height: 256 })
    expect(resizedSize({ width: 97, height: 1001 }, 64)).toEqual({ width: 64, height: 660 })
  })

  it('treats a square image as width-short, as torchvision does', () => {
    expect(resizedSize({ width: 300, height: 300 }, 224)).toEqual({ width: 224, height: 224 })
  })
})

describe('centerCropPlan', () => {
  it('offsets a 341-pixel side by 58 for a 224 crop, where Math.round would give 59', () => {
    const plan = centerCropPlan({ width: 341, height: 256 }, 224)
    expect(plan.left).toBe(58)
    expect(plan.top).toBe(16)
  })

  it('pads with floor before and ceil after when the crop is larger than the image', () => {
    const plan = centerCropPlan({ width: 40, height: 45 }, 48)
    expect(plan).toMatchObject({
      padLeft: 4,
      padRight: 4,
      padTop: 1,
      padBottom: 2,
      left: 0,
      top: 0,
    })
  })
})
