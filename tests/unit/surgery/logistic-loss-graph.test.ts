import { describe, expect, it } from 'vitest'
import { DataType, decodeModelProto } from '../../../native-models/onnx/proto.ts'
import {
  LOGISTIC_LOSS_NAMES,
  logisticLossModelBytes,
} from '../../../native-models/surgery/logistic-loss-graph.ts'

const STANDARD_OPS = new Set([
  'MatMul',
  'Add',
  'Cast',
  'LogSoftmax',
  'Exp',
  'Unsqueeze',
  'Equal',
  'GatherElements',
  'ReduceMean',
  'Neg',
  'Sub',
  'Concat',
  'Shape',
  'Div',
  'Gemm',
])

describe('logisticLossModelBytes', () => {
  const model = decodeModelProto(logisticLossModelBytes({ features: 2048, classes: 10 }))
  const graph = model.graph!

  it('declares a symbolic sample count and fixed k and C', () => {
    const dims = (name: string) =>
      graph
        .input!.find((input) => input.name === name)!
        .type!.tensorType!.shape!.dim!.map(
          // Decoded protobuf fields default to 0 and '', so test the symbol first.
          (dim) =>
            dim.dimParam !== undefined && dim.dimParam !== '' ? dim.dimParam : dim.dimValue,
        )
    expect(dims(LOGISTIC_LOSS_NAMES.features)).toEqual(['samples', 2048])
    expect(dims(LOGISTIC_LOSS_NAMES.labels)).toEqual(['samples'])
    expect(dims(LOGISTIC_LOSS_NAMES.weights)).toEqual([2048, 10])
    expect(dims(LOGISTIC_LOSS_NAMES.bias)).toEqual([10])
  })

  it('uses only standard ai.onnx ops and float32 outputs', () => {
    expect(model.opsetImport).toEqual([{ domain: '', version: 17 }])
    for (const node of graph.node!) {
      expect(node.domain ?? '').toBe('')
      expect(STANDARD_OPS).toContain(node.opType)
    }
    expect(graph.output!.map((output) => output.type!.tensorType!.elemType)).toEqual(
      new Array(4).fill(DataType.FLOAT),
    )
  })

  it('never transposes the features: the gradient reads them through Gemm(transA)', () => {
    expect(graph.node!.some((node) => node.opType === 'Transpose')).toBe(false)
    const gemm = graph.node!.find((node) => node.opType === 'Gemm')!
    expect(gemm.input![0]).toBe(LOGISTIC_LOSS_NAMES.features)
  })

  it('refuses a class count below 1', () => {
    expect(() => logisticLossModelBytes({ features: 4, classes: 0 })).toThrow(
      /'classes' must be a positive integer, got 0/,
    )
  })
})
