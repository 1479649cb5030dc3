import { describe, expect, it } from 'vitest'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import {
  emitReduce,
  emitSingle,
  emitSqueeze,
  emitUnsqueeze,
} from '../../../native-models/surgery/ops.ts'
import { emitCenteredGram, emitChannelReduce } from '../../../native-models/surgery/reductions.ts'
import { inferRank } from '../../../native-models/surgery/value-ranks.ts'
import { tinyClassifier } from './helpers/tiny-classifier.ts'

const RELU = '/relu/Relu_output_0'

describe('inferRank', () => {
  it.each([11, 18])(
    'follows the ranks of an undeclared ResNet trunk and added reductions at opset %i',
    (opset) => {
      const builder = new GraphBuilder(tinyClassifier(opset))
      const rank = (tensor: string): number | undefined => inferRank(builder.graph, tensor)
      expect(rank(RELU)).toBe(4)
      expect(rank('/Flatten_output_0')).toBe(2)
      expect(rank(emitCenteredGram(builder, RELU))).toBe(2)
      expect(rank(emitChannelReduce(builder, 'ReduceMean', RELU))).toBe(1)
      expect(rank(emitChannelReduce(builder, 'ReduceMax', RELU, true))).toBe(2)
      expect(rank(emitReduce(builder, 'ReduceSum', RELU, [1]))).toBe(4)
      const unsqueezed = emitUnsqueeze(builder, 'logits', [0, 3])
      expect(rank(unsqueezed)).toBe(4)
      expect(rank(emitSqueeze(builder, unsqueezed, [0]))).toBe(3)
    },
  )

  it('reads the length of a Shape for ConstantOfShape and of a constant for Reshape', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    const shape = emitSingle(builder, { opType: 'Shape', inputs: [RELU] })
    expect(
      inferRank(builder.graph, emitSingle(builder, { opType: 'ConstantOfShape', inputs: [shape] })),
    ).toBe(4)
    const reshaped = emitSingle(builder, {
      opType: 'Reshape',
      inputs: [RELU, builder.int64Constant([1, -1, 2])],
    })
    expect(inferRank(builder.graph, reshaped)).toBe(3)
  })

  it('gives up on an op it does not know rather than guess', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    const unknown = emitSingle(builder, { opType: 'NonMaxSuppression', inputs: [RELU] })
    expect(inferRank(builder.graph, unknown)).toBeUndefined()
  })
})
