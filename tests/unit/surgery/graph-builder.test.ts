import { describe, expect, it } from 'vitest'
import { DataType, decodeModelProto } from '../../../native-models/onnx/proto.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { readInt64 } from '../../../native-models/surgery/tensors.ts'
import { tensorTypeProto } from '../../../native-models/surgery/value-types.ts'
import { tinyClassifier } from './helpers/tiny-classifier.ts'

function outputNamed(builder: GraphBuilder, name: string) {
  return builder.graph.output?.find((output) => output.name === name)
}

describe('GraphBuilder', () => {
  it('gives added nodes and tensors names that collide with nothing in the graph', () => {
    const model = tinyClassifier(17)
    model.graph?.node?.push({
      name: 'Relu',
      opType: 'Relu',
      input: ['logits'],
      output: ['Relu_output_0'],
    })
    const builder = new GraphBuilder(model)
    const [output] = builder.addNode({ opType: 'Relu', inputs: ['logits'] })
    expect(builder.graph.node?.at(-1)?.name).toBe('Relu_1')
    expect(output).toBe('Relu_1_output_0')
    expect(builder.freshName('conv.weight')).toBe('conv.weight_1')
  })

  it('names outputs after the node the way torch 1.13 does', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    expect(
      builder.addNode({ opType: 'Sub', inputs: ['logits', 'logits'], name: '/tap/Sub' }),
    ).toEqual(['/tap/Sub_output_0'])
  })

  it('leaves the model it was given unchanged', () => {
    const model = tinyClassifier(11)
    const before = JSON.stringify(model)
    const builder = new GraphBuilder(model)
    builder.addNode({ opType: 'Relu', inputs: ['logits'] })
    builder.addOutput('/relu/Relu_output_0')
    builder.ensureOpset(16, 'test')
    expect(JSON.stringify(model)).toBe(before)
  })

  it('shares one little-endian int64 initializer between identical constants', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    const first = builder.int64Constant([0, -1])
    expect(builder.int64Constant([0, -1])).toBe(first)
    expect(builder.int64Constant([0, -1], [2, 1])).not.toBe(first)
    const tensor = builder.graph.initializer?.find((t) => t.name === first)
    expect(tensor?.dataType).toBe(DataType.INT64)
    expect(readInt64(tensor ?? {})).toEqual([0, -1])
    expect(Array.from(tensor?.rawData?.subarray(0, 8) ?? [])).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
  })

  it('declares an added output with the value info the graph already has', () => {
    const model = tinyClassifier(17)
    const reluType = tensorTypeProto(DataType.FLOAT, ['batch', 4, 4, 4])
    model.graph!.valueInfo = [{ name: '/relu/Relu_output_0', type: reluType }]
    const builder = new GraphBuilder(model)
    expect(builder.addOutput('/relu/Relu_output_0')).toBe('/relu/Relu_output_0')
    expect(outputNamed(builder, '/relu/Relu_output_0')?.type).toEqual(reluType)
  })

  it('follows producers back for element type and rank when no value info exists', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    const [shape] = builder.addNode({ opType: 'Shape', inputs: ['/relu/Relu_output_0'] })
    const [gathered] = builder.addNode({
      opType: 'Gather',
      inputs: [shape, builder.int64Constant([0])],
    })
    builder.addOutput(gathered)
    builder.addOutput('/conv/Conv_output_0')
    expect(outputNamed(builder, gathered)?.type?.tensorType?.elemType).toBe(DataType.INT64)
    const convType = outputNamed(builder, '/conv/Conv_output_0')?.type?.tensorType
    expect(convType).toEqual({ elemType: DataType.FLOAT, shape: { dim: [{}, {}, {}, {}] } })
  })

  it('adds the rank to value info that declares only an element type', () => {
    const model = tinyClassifier(17)
    model.graph!.valueInfo = [
      { name: '/conv/Conv_output_0', type: tensorTypeProto(DataType.FLOAT16) },
    ]
    const builder = new GraphBuilder(model)
    builder.addOutput('/conv/Conv_output_0')
    expect(outputNamed(builder, '/conv/Conv_output_0')?.type?.tensorType).toEqual({
      elemType: DataType.FLOAT16,
      shape: { dim: [{}, {}, {}, {}] },
    })
  })

  it('routes a graph input or an initializer through an Identity when it becomes an output', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    const tapped = builder.addOutput('input')
    expect(tapped).not.toBe('input')
    expect(builder.graph.node?.at(-1)).toMatchObject({
      opType: 'Identity',
      input: ['input'],
      output: [tapped],
    })
    expect(outputNamed(builder, tapped)?.type?.tensorType?.shape?.dim).toHaveLength(4)
    const weight = builder.addOutput('fc.weight')
    expect(outputNamed(builder, weight)?.type?.tensorType?.shape?.dim).toEqual([
      { dimValue: 5 },
      { dimValue: 4 },
    ])
  })

  it('does not add an output twice', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    expect(builder.addOutput('logits')).toBe('logits')
    expect(builder.graph.output).toHaveLength(1)
  })

  it('encodes to bytes that decode to the edited graph', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    const [sum] = builder.addNode({
      opType: 'Add',
      inputs: ['logits', 'logits'],
      name: '/double/Add',
    })
    builder.addOutput(sum)
    const decoded = decodeModelProto(builder.encode())
    expect(decoded.graph?.node?.at(-1)?.name).toBe('/double/Add')
    expect(decoded.graph?.output?.map((output) => output.name)).toEqual(['logits', sum])
    expect(GraphBuilder.fromBytes(builder.encode()).opset).toBe(17)
  })
})
