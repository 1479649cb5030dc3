import { describe, expect, it } from 'vitest'
import { DataType } from '../../../native-models/onnx/proto.ts'
import type { NodeProto } from '../../../native-models/onnx/proto.ts'
import { buildActivationGraph } from '../../../native-models/surgery/activation-graph.ts'
import { readIntsAttribute } from '../../../native-models/surgery/attributes.ts'
import { expectErrorCode } from './helpers/expect-error.ts'
import { tinyClassifier } from './helpers/tiny-classifier.ts'

const RELU = '/relu/Relu_output_0'
const POOLED = '/Flatten_output_0'
const TAPS = [
  { key: 'relu', tensor: RELU },
  { key: 'pooled', tensor: POOLED },
]

function statsNodes(nodes: readonly NodeProto[], tensor: string, opType: string): NodeProto[] {
  return nodes.filter((node) => node.opType === opType && node.input?.[0] === tensor)
}

describe('the activation statistics graph', () => {
  it.each([11, 13, 17])(
    'gives Reduce* axes as attributes at opset %i, ReduceSum’s from 13 as an input',
    (opset) => {
      const { model } = buildActivationGraph(tinyClassifier(opset), TAPS)
      const nodes = model.graph?.node ?? []
      for (const opType of ['ReduceMean', 'ReduceMax', 'ReduceMin']) {
        const [node] = statsNodes(nodes, RELU, opType)
        expect(readIntsAttribute(node, 'axes'), opType).toEqual([0, 2, 3])
        expect(node.input, opType).toHaveLength(1)
      }
      const zeroCount = nodes.find((node) => node.opType === 'ReduceSum')
      expect(zeroCount?.input).toHaveLength(opset >= 13 ? 2 : 1)
    },
  )

  it('gives every Reduce* its axes as an input at opset 18', () => {
    const { model } = buildActivationGraph(tinyClassifier(18), TAPS)
    const reductions = (model.graph?.node ?? []).filter((node) => node.opType?.startsWith('Reduce'))
    expect(reductions).toHaveLength(2 * 5)
    for (const node of reductions) {
      expect(readIntsAttribute(node, 'axes'), node.name).toBeUndefined()
      expect(node.input, node.name).toHaveLength(2)
    }
  })

  it('reduces NCHW taps over batch and space and [N, C] taps over the batch', () => {
    const { model } = buildActivationGraph(tinyClassifier(13), TAPS)
    const nodes = model.graph?.node ?? []
    expect(readIntsAttribute(statsNodes(nodes, RELU, 'ReduceMax')[0], 'axes')).toEqual([0, 2, 3])
    expect(readIntsAttribute(statsNodes(nodes, POOLED, 'ReduceMax')[0], 'axes')).toEqual([0])
  })

  it('adds an int64 draws input of symbolic length and outputs no full activation', () => {
    const graph = buildActivationGraph(tinyClassifier(17), TAPS)
    const draws = graph.model.graph?.input?.find((input) => input.name === graph.drawsInput)
    expect(draws?.type?.tensorType?.elemType).toBe(DataType.INT64)
    expect(draws?.type?.tensorType?.shape?.dim).toEqual([{ dimParam: 'activation_samples' }])
    const outputs = (graph.model.graph?.output ?? []).map((output) => output.name)
    expect(outputs).not.toContain(RELU)
    expect(outputs).not.toContain(POOLED)
    expect(outputs).toHaveLength(1 + 2 * 7)
    expect(graph.taps.map((tap) => [tap.key, tap.rank])).toEqual([
      ['relu', 4],
      ['pooled', 2],
    ])
  })

  it('leaves the model it was given untouched', () => {
    const model = tinyClassifier(17)
    const before = structuredClone(model)
    buildActivationGraph(model, TAPS)
    expect(model).toEqual(before)
  })

  it('refuses a tap that is not [N, C, H, W] or [N, C], naming its key', () => {
    const model = tinyClassifier(17)
    expectErrorCode(
      () => buildActivationGraph(model, [{ key: 'weights', tensor: 'conv.bias' }]),
      'INVALID_ARGUMENT',
      /Tap 'weights' \(tensor 'conv.bias'\) has rank 1/,
    )
  })

  it('refuses a model that already has a tensor under the draws input’s name', () => {
    const model = tinyClassifier(17)
    const relu = model.graph?.node?.find((node) => node.opType === 'Relu')
    if (relu?.output) relu.output = ['activation_stats_draws']
    expectErrorCode(() => buildActivationGraph(model, []), 'INVALID_ARGUMENT', /already uses/)
  })
})
