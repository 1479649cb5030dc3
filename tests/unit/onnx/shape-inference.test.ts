import { describe, expect, it } from 'vitest'
import { buildGraphIR, inferShapes, ModelError } from '../../../native-models/onnx/index.ts'
import type { ShapeInference } from '../../../native-models/onnx/index.ts'
import { DataType } from '../../../native-models/onnx/proto.ts'
import {
  addInt64,
  addNode,
  addWeight,
  createTinyGraph,
  int,
  ints,
  toModel,
} from '../../fixtures/models/tiny-graph.ts'
import type { TinyGraph } from '../../fixtures/models/tiny-graph.ts'

function graphAt(opset: number): TinyGraph {
  return createTinyGraph({ storage: 'initializers', weightType: 'float32', opset, seed: 1 })
}

function infer(graph: TinyGraph, inputs: Record<string, number[]>): ShapeInference {
  const model = toModel(graph, { opset: graph.opset, inputs: [], outputs: [] })
  return inferShapes(buildGraphIR(model), new Map(Object.entries(inputs)))
}

function failure(run: () => unknown): ModelError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError)
    return error as ModelError
  }
  throw new Error('expected shape inference to fail')
}

describe('inferShapes', () => {
  it('folds the Shape → Gather → Unsqueeze → Concat chain torch emits for x.view(x.size(0), -1)', () => {
    for (const opset of [11, 13]) {
      const graph = graphAt(opset)
      const shape = addNode(graph, 'Shape', '/Shape', ['x'])
      const batch = addNode(
        graph,
        'Gather',
        '/Gather',
        [shape, addInt64(graph, 'zero', [0])],
        [int('axis', 0)],
      )
      const axes = opset < 13 ? [] : [addInt64(graph, 'axes', [0])]
      const attrs = opset < 13 ? [ints('axes', [0])] : []
      const unsqueezed = addNode(graph, 'Unsqueeze', '/Unsqueeze', [batch, ...axes], attrs)
      const target = addNode(
        graph,
        'Concat',
        '/Concat',
        [unsqueezed, addInt64(graph, 'rest', [-1])],
        [int('axis', 0)],
      )
      const flat = addNode(graph, 'Reshape', '/Reshape', ['x', target])
      const result = infer(graph, { x: [1, 512, 1, 1] })
      expect(result.constants.get(target)?.values).toEqual([1, -1])
      expect(result.shapes.get(flat)).toEqual([1, 512])
    }
  })

  it('folds Slice, Squeeze and Cast on shapes', () => {
    const graph = graphAt(13)
    const shape = addNode(graph, 'Shape', '/Shape', ['x'])
    const tail = addNode(graph, 'Slice', '/Slice', [
      shape,
      addInt64(graph, 's', [-2]),
      addInt64(graph, 'e', [100]),
    ])
    const reversed = addNode(graph, 'Slice', '/Reverse', [
      shape,
      addInt64(graph, 's2', [-1]),
      addInt64(graph, 'e2', [-100]),
      addInt64(graph, 'a2', [0]),
      addInt64(graph, 'st2', [-1]),
    ])
    const first = addNode(graph, 'Slice', '/First', [
      shape,
      addInt64(graph, 's3', [0]),
      addInt64(graph, 'e3', [1]),
    ])
    const scalar = addNode(graph, 'Squeeze', '/Squeeze', [first, addInt64(graph, 'sq', [0])])
    const asFloat = addNode(graph, 'Cast', '/Cast', [scalar], [int('to', DataType.FLOAT)])
    const { constants } = infer(graph, { x: [2, 3, 5, 7] })
    expect(constants.get(tail)?.values).toEqual([5, 7])
    expect(constants.get(reversed)?.values).toEqual([7, 5, 3, 2])
    expect(constants.get(scalar)).toEqual({ dims: [], values: [2], isInteger: true })
    expect(constants.get(asFloat)?.isInteger).toBe(false)
  })

  it('takes Unsqueeze axes as an attribute before opset 13 and as an input from 13 on', () => {
    const old = graphAt(11)
    const y = addNode(old, 'Unsqueeze', '/Unsqueeze', ['x'], [ints('axes', [0, -1])])
    expect(infer(old, { x: [3] }).shapes.get(y)).toEqual([1, 3, 1])
    const mixedUp = graphAt(13)
    addNode(mixedUp, 'Unsqueeze', '/Unsqueeze', ['x'], [ints('axes', [0])])
    const error = failure(() => infer(mixedUp, { x: [3] }))
    expect(error.code).toBe('SHAPE_INFERENCE_FAILED')
    expect(error.message).toContain("Unsqueeze node '/Unsqueeze'")
    expect(error.message).toContain('an input at opset 13')
  })

  it('takes ReduceMean axes as an attribute before opset 18 and as an input at 18', () => {
    const old = graphAt(17)
    const a = addNode(
      old,
      'ReduceMean',
      '/ReduceMean',
      ['x'],
      [ints('axes', [2, 3]), int('keepdims', 0)],
    )
    expect(infer(old, { x: [1, 8, 4, 4] }).shapes.get(a)).toEqual([1, 8])
    const current = graphAt(18)
    const b = addNode(current, 'ReduceMean', '/ReduceMean', [
      'x',
      addInt64(current, 'axes', [-1, -2]),
    ])
    expect(infer(current, { x: [1, 8, 4, 4] }).shapes.get(b)).toEqual([1, 8, 1, 1])
  })

  it('sizes convolutions with strides, dilations, groups and SAME padding like ORT', () => {
    const graph = graphAt(17)
    const w = addWeight(graph, 'w', [8, 2, 3, 3])
    const dilated = addNode(
      graph,
      'Conv',
      '/Dilated',
      ['x', w],
      [
        ints('dilations', [2, 2]),
        int('group', 2),
        ints('pads', [2, 2, 2, 2]),
        ints('strides', [2, 2]),
      ],
    )
    const same = addNode(
      graph,
      'Conv',
      '/Same',
      ['x', w],
      [
        int('group', 2),
        { name: 'auto_pad', type: 3, s: new TextEncoder().encode('SAME_UPPER') },
        ints('strides', [2, 2]),
      ],
    )
    const shapes = infer(graph, { x: [1, 4, 15, 15] }).shapes
    expect(shapes.get(dilated)).toEqual([1, 8, 8, 8])
    expect(shapes.get(same)).toEqual([1, 8, 8, 8])
  })

  it('applies ceil_mode to pooling without starting a window in the right padding', () => {
    const graph = graphAt(17)
    const pool = (name: string, ceil: number): string =>
      addNode(
        graph,
        'MaxPool',
        name,
        ['x'],
        [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), int('ceil_mode', ceil)],
      )
    const floor = pool('/Floor', 0)
    const ceil = pool('/Ceil', 1)
    const shapes = infer(graph, { x: [1, 1, 6, 6] }).shapes
    expect(shapes.get(floor)).toEqual([1, 1, 2, 2])
    expect(shapes.get(ceil)).toEqual([1, 1, 3, 3])
  })

  it('handles Gemm transposes, batched MatMul, Flatten axes and Reshape with 0 and -1', () => {
    const graph = graphAt(17)
    const gemm = addNode(
      graph,
      'Gemm',
      '/Gemm',
      ['a', addWeight(graph, 'b', [10, 6])],
      [int('transA', 1), int('transB', 1)],
    )
    const matmul = addNode(graph, 'MatMul', '/MatMul', ['c', 'd'])
    const flat = addNode(graph, 'Flatten', '/Flatten', ['c'], [int('axis', -1)])
    const reshaped = addNode(graph, 'Reshape', '/Reshape', [
      'c',
      addInt64(graph, 'target', [0, -1]),
    ])
    const shapes = infer(graph, { a: [6, 4], c: [2, 1, 3, 5], d: [7, 5, 2] }).shapes
    expect(shapes.get(gemm)).toEqual([4, 10])
    expect(shapes.get(matmul)).toEqual([2, 7, 3, 2])
    expect(shapes.get(flat)).toEqual([6, 5])
    expect(shapes.get(reshaped)).toEqual([2, 15])
  })

  it('names the node and the tensor when an input is unknown', () => {
    const graph = graphAt(17)
    addNode(graph, 'Relu', '/stray/Relu', ['nowhere'])
    const error = failure(() => infer(graph, {}))
    expect(error.message).toContain("Relu node '/stray/Relu'")
    expect(error.message).toContain("'nowhere'")
  })
})
