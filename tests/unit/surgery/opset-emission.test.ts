import { describe, expect, it } from 'vitest'
import type { NodeProto } from '../../../native-models/onnx/proto.ts'
import { findAttribute, readStringAttribute } from '../../../native-models/surgery/attributes.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import {
  emitReduce,
  emitScatterElements,
  emitSqueeze,
  emitUnsqueeze,
} from '../../../native-models/surgery/ops.ts'
import { emitCenteredGram, emitChannelReduce } from '../../../native-models/surgery/reductions.ts'
import { readInt64 } from '../../../native-models/surgery/tensors.ts'
import { tinyClassifier } from './helpers/tiny-classifier.ts'

const OPSETS = [11, 13, 16, 17, 18] as const

function lastNode(builder: GraphBuilder): NodeProto {
  return builder.graph.node?.at(-1) ?? {}
}

/** The axes of a node, wherever the opset puts them. */
function axesForm(builder: GraphBuilder, node: NodeProto): { form: string; axes: number[] } {
  const attribute = findAttribute(node, 'axes')
  if (attribute !== undefined) return { form: 'attribute', axes: attribute.ints ?? [] }
  const tensor = builder.graph.initializer?.find((t) => t.name === node.input?.[1])
  return { form: 'input', axes: tensor === undefined ? [] : readInt64(tensor) }
}

describe('opset-aware emission', () => {
  it.each(OPSETS)('puts ReduceMean axes where opset %i expects them', (opset) => {
    const builder = new GraphBuilder(tinyClassifier(opset))
    emitReduce(builder, 'ReduceMean', '/relu/Relu_output_0', [0, 2, 3])
    const expected = opset >= 18 ? 'input' : 'attribute'
    expect(axesForm(builder, lastNode(builder))).toEqual({ form: expected, axes: [0, 2, 3] })
  })

  it.each(OPSETS)('puts ReduceSum axes where opset %i expects them', (opset) => {
    const builder = new GraphBuilder(tinyClassifier(opset))
    emitReduce(builder, 'ReduceSum', 'logits', [1], { keepdims: false })
    const expected = opset >= 13 ? 'input' : 'attribute'
    expect(axesForm(builder, lastNode(builder))).toEqual({ form: expected, axes: [1] })
    expect(findAttribute(lastNode(builder), 'keepdims')?.i).toBe(0)
  })

  it.each(OPSETS)('puts Squeeze and Unsqueeze axes where opset %i expects them', (opset) => {
    const builder = new GraphBuilder(tinyClassifier(opset))
    const unsqueezed = emitUnsqueeze(builder, 'logits', [2])
    const unsqueeze = lastNode(builder)
    emitSqueeze(builder, unsqueezed, [2])
    const expected = opset >= 13 ? 'input' : 'attribute'
    expect(axesForm(builder, unsqueeze).form).toBe(expected)
    expect(axesForm(builder, lastNode(builder))).toEqual({ form: expected, axes: [2] })
  })

  it.each(OPSETS)(
    'upgrades opset %i for ScatterElements(add) only when it is below 16',
    (opset) => {
      const builder = new GraphBuilder(tinyClassifier(opset))
      const inputs = {
        data: 'logits',
        indices: builder.int64Constant([0, 0], [2, 1]),
        updates: 'logits',
      }
      emitScatterElements(builder, inputs, 1, 'add')
      expect(readStringAttribute(lastNode(builder), 'reduction')).toBe('add')
      expect(builder.opset).toBe(Math.max(opset, 16))
      const expectedUpgrades =
        opset < 16
          ? [{ from: opset, to: 16, reason: 'ScatterElements(reduction=add)', rewrites: [] }]
          : []
      expect(builder.upgrades).toEqual(expectedUpgrades)
    },
  )

  it('needs opset 18 for ScatterElements(max)', () => {
    const builder = new GraphBuilder(tinyClassifier(16))
    const inputs = {
      data: 'logits',
      indices: builder.int64Constant([0, 0], [2, 1]),
      updates: 'logits',
    }
    emitScatterElements(builder, inputs, 1, 'max')
    expect(builder.opset).toBe(18)
  })

  it('leaves the opset alone for a plain ScatterElements', () => {
    const builder = new GraphBuilder(tinyClassifier(11))
    const inputs = {
      data: 'logits',
      indices: builder.int64Constant([0, 0], [2, 1]),
      updates: 'logits',
    }
    emitScatterElements(builder, inputs, 1, 'none')
    expect(builder.opset).toBe(11)
    expect(findAttribute(lastNode(builder), 'reduction')).toBeUndefined()
  })

  it.each(OPSETS)(
    'builds a centered Gram as Reshape → ReduceMean → Sub → Gemm(transB) at opset %i',
    (opset) => {
      const builder = new GraphBuilder(tinyClassifier(opset))
      const gram = emitCenteredGram(builder, '/relu/Relu_output_0')
      const added = builder.graph.node?.slice(-4) ?? []
      expect(added.map((node) => node.opType)).toEqual(['Reshape', 'ReduceMean', 'Sub', 'Gemm'])
      expect(axesForm(builder, added[1] ?? {}).axes).toEqual([0])
      expect(findAttribute(added[3] ?? {}, 'transB')?.i).toBe(1)
      expect(added[3]?.input).toEqual([added[2]?.output?.[0], added[2]?.output?.[0]])
      expect(added[3]?.output).toEqual([gram])
    },
  )

  it('reduces per channel over batch and space, or per sample', () => {
    const builder = new GraphBuilder(tinyClassifier(18))
    emitChannelReduce(builder, 'ReduceMax', '/relu/Relu_output_0')
    expect(axesForm(builder, lastNode(builder)).axes).toEqual([0, 2, 3])
    emitChannelReduce(builder, 'ReduceMax', '/relu/Relu_output_0', true)
    expect(axesForm(builder, lastNode(builder)).axes).toEqual([2, 3])
  })
})
