import { describe, expect, it } from 'vitest'
import { decodeModelProto, encodeModelProto } from '../../../native-models/onnx/proto.ts'
import {
  guardModelBytes,
  stripTrailingEmptyOutputs,
} from '../../../native-models/runtime/model-guard.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { legacyClassifier, tinyClassifier } from '../surgery/helpers/tiny-classifier.ts'

function batchNormOutputs(model: ReturnType<typeof tinyClassifier>): string[] | undefined {
  return model.graph?.node?.find((node) => node.opType === 'BatchNormalization')?.output
}

describe('stripTrailingEmptyOutputs', () => {
  it('drops the absent training outputs a BatchNormalization lists', () => {
    const builder = new GraphBuilder(legacyClassifier({ absentBatchNormOutputs: true }))
    const { model, strippedNodes } = stripTrailingEmptyOutputs(builder.toModel())
    expect(strippedNodes).toBe(1)
    expect(batchNormOutputs(model)).toEqual(['bn_out'])
    expect(batchNormOutputs(builder.toModel())).toEqual(['bn_out', '', '', '', ''])
  })

  it('keeps an empty output that sits before a named one', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    builder.addNode({ opType: 'Split', inputs: ['logits'], outputs: ['a', 'b'] })
    const split = builder.graph.node?.at(-1)
    if (split !== undefined) split.output = ['', 'b', '']
    const { model } = stripTrailingEmptyOutputs(builder.toModel())
    expect(model.graph?.node?.at(-1)?.output).toEqual(['', 'b'])
  })

  it('returns the very same model when no node lists an empty output', () => {
    const model = tinyClassifier(17)
    expect(stripTrailingEmptyOutputs(model)).toEqual({ model, strippedNodes: 0 })
  })
})

describe('guardModelBytes', () => {
  it('re-encodes only when a node changed', () => {
    const clean = encodeModelProto(tinyClassifier(17))
    expect(guardModelBytes(clean)).toBe(clean)
    const risky = new GraphBuilder(legacyClassifier({ absentBatchNormOutputs: true })).encode()
    const guarded = guardModelBytes(risky)
    expect(guarded).not.toBe(risky)
    expect(batchNormOutputs(decodeModelProto(guarded))).toEqual(['bn_out'])
  })

  it('passes bytes that are not a model through for ORT to name the problem', () => {
    const garbage = new Uint8Array([0xff, 0xff, 0xff, 0x01])
    expect(guardModelBytes(garbage)).toBe(garbage)
  })
})
