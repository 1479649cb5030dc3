import { describe, expect, it } from 'vitest'
import {
  convTransposeOutputPadding,
  explicitPads,
  stridelessTransposePads,
  windowCounts,
} from '../../../native-models/surgery/backward/conv-arithmetic.ts'
import type { WindowAxis } from '../../../native-models/surgery/backward/conv-arithmetic.ts'

const axis = (partial: Partial<WindowAxis> & Pick<WindowAxis, 'input' | 'output'>): WindowAxis => ({
  kernel: 1,
  stride: 1,
  dilation: 1,
  padBegin: 0,
  padEnd: 0,
  ...partial,
})

describe('explicitPads', () => {
  it.each([
    ['SAME_UPPER', 7, 3, 2, [1, 1]],
    ['SAME_UPPER', 7, 2, 2, [0, 1]],
    ['SAME_LOWER', 7, 2, 2, [1, 0]],
    ['VALID', 7, 3, 2, [0, 0]],
  ] as const)('gives %s pads for size %i, kernel %i, stride %i', (mode, size, k, s, want) => {
    expect(explicitPads(mode, size, k, s, 1)).toEqual(want)
  })

  it('rejects an unknown auto_pad mode', () => {
    expect(() => explicitPads('SAME', 7, 3, 1, 1)).toThrow(/auto_pad 'SAME'/)
  })
})

describe('convTransposeOutputPadding', () => {
  it.each([
    ['a 1×1 stride-2 downsample on an odd size', axis({ input: 7, output: 4, stride: 2 }), 0],
    ['a 1×1 stride-2 downsample on an even size', axis({ input: 8, output: 4, stride: 2 }), 1],
    [
      'a 3×3 stride-2 conv on an even size',
      axis({ input: 8, output: 4, kernel: 3, stride: 2, padBegin: 1, padEnd: 1 }),
      1,
    ],
    [
      'the 7×7 stride-2 stem on 28',
      axis({ input: 28, output: 14, kernel: 7, stride: 2, padBegin: 3, padEnd: 3 }),
      1,
    ],
    [
      'the 7×7 stride-2 stem on 27',
      axis({ input: 27, output: 14, kernel: 7, stride: 2, padBegin: 3, padEnd: 3 }),
      0,
    ],
    [
      'a dilated 3×3 conv',
      axis({ input: 11, output: 11, kernel: 3, dilation: 2, padBegin: 2, padEnd: 2 }),
      0,
    ],
  ])('restores the input size of %s', (_, window, want) => {
    expect(convTransposeOutputPadding(window)).toBe(want)
  })

  it('refuses a window that no output padding inverts', () => {
    expect(() => convTransposeOutputPadding(axis({ input: 9, output: 4, stride: 2 }))).toThrow(
      /maps 9 to 4/,
    )
  })
})

describe('windowCounts', () => {
  it('counts a ceil-mode overhang as a shorter window', () => {
    const window = axis({ input: 11, output: 6, kernel: 2, stride: 2 })
    expect(windowCounts(window, false)).toEqual([2, 2, 2, 2, 2, 1])
  })

  it('counts padding only when the pool includes it', () => {
    const window = axis({ input: 4, output: 4, kernel: 3, padBegin: 1, padEnd: 1 })
    expect(windowCounts(window, true)).toEqual([3, 3, 3, 3])
    expect(windowCounts(window, false)).toEqual([2, 3, 3, 2])
  })
})

describe('stridelessTransposePads', () => {
  it('pads the flipped-kernel conv by the kernel reach less the forward pads', () => {
    const same = axis({ input: 8, output: 8, kernel: 3, padBegin: 1, padEnd: 1 })
    const dilated = axis({ input: 11, output: 11, kernel: 3, dilation: 2, padBegin: 2, padEnd: 2 })
    const valid = axis({ input: 8, output: 6, kernel: 3 })
    expect(stridelessTransposePads([same, dilated])).toEqual([1, 2, 1, 2])
    expect(stridelessTransposePads([valid])).toEqual([2, 2])
  })

  it('leaves strided convs and pads beyond the kernel reach to ConvTranspose', () => {
    expect(stridelessTransposePads([axis({ input: 7, output: 4, stride: 2 })])).toBeNull()
    expect(
      stridelessTransposePads([axis({ input: 8, output: 10, padBegin: 1, padEnd: 1 })]),
    ).toBeNull()
  })
})
