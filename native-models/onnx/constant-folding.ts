// Evaluates the small integer/float chains exporters build shapes with
// (Shape → Gather → Unsqueeze → Concat → Reshape, Cast, Slice, Squeeze, arithmetic), so that
// Reshape targets and axes inputs are known without running the graph.

import { attributeInt, attributeInts } from './graph.ts'
import type { GraphNode } from './graph.ts'
import { DataType } from './proto.ts'
import type { TensorProto } from './proto.ts'
import { broadcastShapes, concatShape, gatherShape, sliceSelection } from './shape-ops.ts'
import type { Shape, SliceSpec } from './shape-ops.ts'
import { elementCount, tensorToNumbers } from './tensor-data.ts'
import type { ExternalBytes } from './tensor-data.ts'

/** Values of a small tensor known before running the graph (row-major). */
export interface ConstantTensor {
  dims: Shape
  values: number[]
  isInteger: boolean
}

/** Larger tensors are weights, never shape arithmetic: not worth holding as number arrays. */
export const MAX_FOLDED_ELEMENTS = 65_536

const FLOAT_TYPES: number[] = [DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16]

export function constantFromTensor(
  tensor: TensorProto,
  external?: ExternalBytes,
): ConstantTensor | undefined {
  const dims = tensor.dims ?? []
  if (elementCount(dims) > MAX_FOLDED_ELEMENTS) return undefined
  const values = tensorToNumbers(tensor, external)
  if (!values || values.length !== elementCount(dims)) return undefined
  return { dims, values, isInteger: !FLOAT_TYPES.includes(tensor.dataType ?? 0) }
}

function stridesOf(dims: Shape): number[] {
  const strides = dims.map(() => 1)
  for (let i = dims.length - 2; i >= 0; i--) strides[i] = (strides[i + 1] ?? 1) * (dims[i + 1] ?? 1)
  return strides
}

/** Calls `visit` with the row-major offset of every element of `dims`' multi-indices. */
function forEachIndex(dims: Shape, visit: (index: number[]) => void): void {
  const total = elementCount(dims)
  const index = dims.map(() => 0)
  for (let n = 0; n < total; n++) {
    visit(index)
    for (let axis = dims.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] ?? 0) + 1
      if ((index[axis] ?? 0) < (dims[axis] ?? 1)) break
      index[axis] = 0
    }
  }
}

function broadcastRead(tensor: ConstantTensor, outIndex: number[]): number {
  const offset = tensor.dims.length > 0 ? outIndex.length - tensor.dims.length : 0
  const strides = stridesOf(tensor.dims)
  let at = 0
  tensor.dims.forEach((dim, axis) => {
    at += (dim === 1 ? 0 : (outIndex[axis + offset] ?? 0)) * (strides[axis] ?? 1)
  })
  return tensor.values[at] ?? 0
}

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
}

export function foldArithmetic(
  opType: string,
  a: ConstantTensor,
  b: ConstantTensor,
): ConstantTensor {
  const dims = broadcastShapes([a.dims, b.dims])
  const apply = ARITHMETIC[opType] ?? ((x: number) => x)
  const isInteger = a.isInteger && b.isInteger
  const values: number[] = []
  forEachIndex(dims, (index) => {
    const value = apply(broadcastRead(a, index), broadcastRead(b, index))
    values.push(isInteger ? Math.trunc(value) : value)
  })
  return { dims, values, isInteger }
}

export function foldGather(
  node: GraphNode,
  data: ConstantTensor,
  indices: ConstantTensor,
): ConstantTensor {
  const rawAxis = attributeInt(node, 'axis', 0)
  const axis = rawAxis < 0 ? rawAxis + data.dims.length : rawAxis
  const axisSize = data.dims[axis] ?? 1
  const inner = elementCount(data.dims.slice(axis + 1))
  const outer = elementCount(data.dims.slice(0, axis))
  const values: number[] = []
  for (let o = 0; o < outer; o++) {
    for (const raw of indices.values) {
      const index = raw < 0 ? raw + axisSize : raw
      const start = (o * axisSize + index) * inner
      values.push(...data.values.slice(start, start + inner))
    }
  }
  return { dims: gatherShape(node, data.dims, indices.dims), values, isInteger: data.isInteger }
}

export function foldConcat(node: GraphNode, parts: readonly ConstantTensor[]): ConstantTensor {
  const first = parts[0] ?? { dims: [], values: [], isInteger: true }
  const rawAxis = attributeInt(node, 'axis', 0)
  const axis = rawAxis < 0 ? rawAxis + first.dims.length : rawAxis
  const outer = elementCount(first.dims.slice(0, axis))
  const values: number[] = []
  for (let o = 0; o < outer; o++) {
    for (const part of parts) {
      const block = elementCount(part.dims.slice(axis))
      values.push(...part.values.slice(o * block, (o + 1) * block))
    }
  }
  const dims = concatShape(
    node,
    parts.map((p) => p.dims),
  )
  return { dims, values, isInteger: parts.every((p) => p.isInteger) }
}

export function foldSlice(data: ConstantTensor, spec: SliceSpec): ConstantTensor {
  const selection = sliceSelection(data.dims, spec)
  const dims = selection.map((kept) => kept.length)
  const strides = stridesOf(data.dims)
  const values: number[] = []
  forEachIndex(dims, (index) => {
    const at = index.reduce(
      (sum, i, axis) => sum + (selection[axis]?.[i] ?? 0) * (strides[axis] ?? 1),
      0,
    )
    values.push(data.values[at] ?? 0)
  })
  return { dims, values, isInteger: data.isInteger }
}

const INTEGER_TYPES: number[] = [
  DataType.INT64,
  DataType.INT32,
  DataType.INT8,
  DataType.UINT8,
  DataType.BOOL,
]

export function foldCast(node: GraphNode, input: ConstantTensor): ConstantTensor {
  const to = attributeInt(node, 'to', DataType.FLOAT)
  if (to === DataType.BOOL)
    return { ...input, values: input.values.map((v) => (v !== 0 ? 1 : 0)), isInteger: true }
  if (INTEGER_TYPES.includes(to))
    return { ...input, values: input.values.map(Math.trunc), isInteger: true }
  const values = to === DataType.FLOAT ? input.values.map(Math.fround) : input.values
  return { ...input, values, isInteger: false }
}

/** Shape (with opset-15 start/end) of a tensor whose dims are known. */
export function foldShape(node: GraphNode, inputShape: Shape): ConstantTensor {
  const rank = inputShape.length
  const clampAxis = (axis: number): number =>
    Math.min(Math.max(axis < 0 ? axis + rank : axis, 0), rank)
  const start = clampAxis(attributeInt(node, 'start', 0))
  const end = clampAxis(attributeInt(node, 'end', rank))
  const values = inputShape.slice(start, Math.max(start, end))
  return { dims: [values.length], values, isInteger: true }
}

/** Constant node: `value` tensor, or the value_float(s)/value_int(s) forms. */
export function constantNodeValue(node: GraphNode): { dims: Shape; constant?: ConstantTensor } {
  const tensor = node.attributes.get('value')?.t
  if (tensor) return { dims: tensor.dims ?? [], constant: constantFromTensor(tensor) }
  const ints = attributeInts(node, 'value_ints')
  if (ints)
    return { dims: [ints.length], constant: { dims: [ints.length], values: ints, isInteger: true } }
  const floats = node.attributes.get('value_floats')?.floats
  if (floats)
    return {
      dims: [floats.length],
      constant: { dims: [floats.length], values: floats, isInteger: false },
    }
  const int = node.attributes.get('value_int')
  if (int) return { dims: [], constant: { dims: [], values: [int.i ?? 0], isInteger: true } }
  const float = node.attributes.get('value_float')
  if (float) return { dims: [], constant: { dims: [], values: [float.f ?? 0], isInteger: false } }
  throw new Error('Constant has no value attribute this reader understands')
}
