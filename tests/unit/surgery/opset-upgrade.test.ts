import { describe, expect, it } from 'vitest'
import type { NodeProto } from '../../../native-models/onnx/proto.ts'
import { findAttribute } from '../../../native-models/surgery/attributes.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { readInt64 } from '../../../native-models/surgery/tensors.ts'
import { expectErrorCode } from './helpers/expect-error.ts'
import { legacyClassifier, tinyClassifier } from './helpers/tiny-classifier.ts'

function producerOf(builder: GraphBuilder, tensor: string): NodeProto {
  return builder.graph.node?.find((node) => node.output?.includes(tensor)) ?? {}
}

function constantInput(builder: GraphBuilder, node: NodeProto, index: number): number[] {
  const tensor = builder.graph.initializer?.find((t) => t.name === node.input?.[index])
  return tensor === undefined ? [] : readInt64(tensor)
}

describe('opset upgrade', () => {
  it('rewrites every changed form from 11 to 18 and says which', () => {
    const builder = new GraphBuilder(legacyClassifier({ absentBatchNormOutputs: true }))
    const upgrade = builder.ensureOpset(18, 'test')
    expect(upgrade).toEqual({
      from: 11,
      to: 18,
      reason: 'test',
      rewrites: [
        'Softmax: axis made explicit (it is the last axis) (1 node)',
        'Unsqueeze: axes attribute → input (1 node)',
        'Softmax: 2-D coercion spelled out as Flatten → Softmax → Reshape (1 node)',
        'ReduceSum: axes attribute → input (1 node)',
        'Squeeze: axes attribute → input (1 node)',
        'ReduceMean: axes attribute → input (1 node)',
        'BatchNormalization: absent training outputs removed (1 node)',
      ],
    })
    expect(builder.opset).toBe(18)
    expect(builder.toModel().irVersion).toBe(8)
  })

  it('moves axes to inputs with their values intact', () => {
    const builder = new GraphBuilder(legacyClassifier())
    builder.ensureOpset(18, 'test')
    const reduceMean = producerOf(builder, 'channel_mean')
    expect(findAttribute(reduceMean, 'axes')).toBeUndefined()
    expect(findAttribute(reduceMean, 'keepdims')?.i).toBe(0)
    expect(constantInput(builder, reduceMean, 1)).toEqual([2, 3])
    expect(constantInput(builder, producerOf(builder, 'probs3'), 1)).toEqual([2])
  })

  it('moves only the axes that changed form by the target opset', () => {
    const builder = new GraphBuilder(legacyClassifier())
    const upgrade = builder.ensureOpset(13, 'test')
    expect(upgrade?.rewrites.some((line) => line.startsWith('ReduceMean'))).toBe(false)
    expect(findAttribute(producerOf(builder, 'channel_mean'), 'axes')?.ints).toEqual([2, 3])
    expect(findAttribute(producerOf(builder, 'sum'), 'axes')).toBeUndefined()
  })

  it('spells out the old Softmax on a tensor of unknown rank', () => {
    const builder = new GraphBuilder(legacyClassifier())
    builder.ensureOpset(13, 'test')
    const reshape = producerOf(builder, 'soft3')
    expect(reshape.opType).toBe('Reshape')
    const softmax = producerOf(builder, reshape.input?.[0] ?? '')
    expect(softmax).toMatchObject({ opType: 'Softmax' })
    expect(findAttribute(softmax, 'axis')?.i).toBe(1)
    const flatten = producerOf(builder, softmax.input?.[0] ?? '')
    expect(flatten).toMatchObject({ opType: 'Flatten', input: ['probs3'] })
    expect(findAttribute(flatten, 'axis')?.i).toBe(1)
    expect(producerOf(builder, reshape.input?.[1] ?? '')).toMatchObject({
      opType: 'Shape',
      input: ['probs3'],
    })
  })

  it('keeps imports of other domains and does nothing when the opset is new enough', () => {
    const model = tinyClassifier(17)
    model.opsetImport?.push({ domain: 'com.microsoft', version: 1 })
    const builder = new GraphBuilder(model)
    expect(builder.ensureOpset(16, 'test')).toBeNull()
    builder.ensureOpset(18, 'test')
    expect(builder.toModel().opsetImport).toEqual([
      { domain: '', version: 18 },
      { domain: 'com.microsoft', version: 1 },
    ])
    expect(builder.upgrades).toHaveLength(1)
  })

  it('refuses a training-mode BatchNormalization with an UNSUPPORTED_OPERATOR error', () => {
    const model = legacyClassifier({ absentBatchNormOutputs: true })
    const bn = model.graph?.node?.find((node) => node.opType === 'BatchNormalization')
    if (bn !== undefined) bn.output = ['bn_out', 'running_mean', 'running_var']
    expectErrorCode(
      () => new GraphBuilder(model).ensureOpset(14, 'test'),
      'UNSUPPORTED_OPERATOR',
      /model\.eval\(\)/,
    )
  })

  it('refuses an op whose change it does not know', () => {
    const model = tinyClassifier(11)
    model.graph?.node?.push({ name: 'drop', opType: 'Dropout', input: ['logits'], output: ['d'] })
    expectErrorCode(
      () => new GraphBuilder(model).ensureOpset(13, 'test'),
      'UNSUPPORTED_OPERATOR',
      /'drop' \(Dropout\)/,
    )
  })

  it('refuses opsets outside 11–18', () => {
    expectErrorCode(
      () => new GraphBuilder(tinyClassifier(10)).ensureOpset(13, 'test'),
      'UNSUPPORTED_OPSET',
    )
    expectErrorCode(
      () => new GraphBuilder(tinyClassifier(17)).ensureOpset(19, 'test'),
      'UNSUPPORTED_OPSET',
    )
  })

  it('adds num_outputs to a Split without split sizes at opset 18', () => {
    const model = tinyClassifier(11)
    const split: NodeProto = {
      name: 's',
      opType: 'Split',
      input: ['logits'],
      output: ['a', 'b'],
      attribute: [],
    }
    model.graph?.node?.push(split)
    const builder = new GraphBuilder(model)
    builder.ensureOpset(18, 'test')
    expect(findAttribute(producerOf(builder, 'a'), 'num_outputs')?.i).toBe(2)
  })
})
