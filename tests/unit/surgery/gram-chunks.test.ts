import { describe, expect, it } from 'vitest'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { emitCenteredGram, gramChunks } from '../../../native-models/surgery/reductions.ts'
import { tinyClassifier } from './helpers/tiny-classifier.ts'

describe('gramChunks', () => {
  it('takes 16 chunks for every ResNet50 tap width', () => {
    for (const channels of [64, 256, 512, 1024, 2048]) expect(gramChunks(channels)).toBe(16)
  })

  it('falls back to the largest smaller power of two that divides the channels', () => {
    expect(gramChunks(24)).toBe(8)
    expect(gramChunks(12)).toBe(4)
    expect(gramChunks(10)).toBe(2)
  })

  it('keeps one Gemm for odd or unknown channel counts', () => {
    expect(gramChunks(3)).toBe(1)
    expect(gramChunks(undefined)).toBe(1)
    expect(gramChunks(0)).toBe(1)
  })
})

describe('emitCenteredGram in chunks', () => {
  const opTypes = (chunks: number): string[] => {
    const builder = new GraphBuilder(tinyClassifier(17))
    const before = builder.graph.node?.length ?? 0
    emitCenteredGram(builder, '/relu/Relu_output_0', '/g', chunks)
    return (builder.graph.node ?? []).slice(before).map((node) => node.opType ?? '')
  }

  it('is one Gemm(transB) on the centered [N, features] view without chunks', () => {
    expect(opTypes(1)).toEqual(['Reshape', 'ReduceMean', 'Sub', 'Gemm'])
  })

  it('is a batched MatMul over both transposes, summed over the chunks, with chunks', () => {
    expect(opTypes(4)).toEqual([
      ...['Reshape', 'ReduceMean', 'Sub', 'Transpose', 'Transpose', 'MatMul', 'ReduceSum'],
    ])
  })

  it('refuses a chunk count that is not a positive integer', () => {
    expect(() => opTypes(0)).toThrow(RangeError)
    expect(() => opTypes(1.5)).toThrow(/positive whole number/)
  })
})
