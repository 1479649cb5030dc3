// Output shapes of the ResNet op set, on concrete dims (batch 1, a fixed input size).
// Every function throws a plain Error with the reason; the driver adds the node's name.

import { attributeInt, attributeInts, attributeString } from './graph.ts'
import type { GraphNode } from './graph.ts'

export type Shape = number[]

function normalizeAxis(axis: number, rank: number): number {
  const normalized = axis < 0 ? axis + rank : axis
  if (normalized < 0 || normalized >= rank)
    throw new Error(`axis ${axis} is out of range for rank ${rank}`)
  return normalized
}

function spatialSize(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  pads: [number, number],
  ceilMode: boolean,
): number {
  const span = dilation * (kernel - 1) + 1
  const steps = (size + pads[0] + pads[1] - span) / stride
  let out = (ceilMode ? Math.ceil(steps) : Math.floor(steps)) + 1
  // A ceil-mode window must start inside the input or its left padding (PyTorch and ORT agree).
  if (ceilMode && (out - 1) * stride >= size + pads[0]) out -= 1
  return out
}

function autoPads(
  autoPad: string,
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
): [number, number] {
  if (autoPad === 'VALID') return [0, 0]
  const out = Math.ceil(size / stride)
  const total = Math.max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - size)
  const small = Math.floor(total / 2)
  return autoPad === 'SAME_LOWER' ? [total - small, small] : [small, total - small]
}

/** Conv and pooling windows: input [N, C, ...spatial] → spatial output sizes. */
export function windowOutput(node: GraphNode, input: Shape, kernel: number[]): number[] {
  const spatial = input.slice(2)
  if (kernel.length !== spatial.length) {
    throw new Error(`kernel ${kernel.join('×')} does not fit input ${input.join('×')}`)
  }
  const strides = attributeInts(node, 'strides') ?? spatial.map(() => 1)
  const dilations = attributeInts(node, 'dilations') ?? spatial.map(() => 1)
  const pads = attributeInts(node, 'pads') ?? spatial.flatMap(() => [0, 0])
  const autoPad = attributeString(node, 'auto_pad', 'NOTSET')
  const ceilMode = attributeInt(node, 'ceil_mode', 0) === 1
  return spatial.map((size, i) => {
    const stride = strides[i] ?? 1
    const dilation = dilations[i] ?? 1
    const k = kernel[i] ?? 1
    const pad: [number, number] =
      autoPad === 'NOTSET'
        ? [pads[i] ?? 0, pads[i + spatial.length] ?? 0]
        : autoPads(autoPad, size, k, stride, dilation)
    return spatialSize(size, k, stride, dilation, pad, ceilMode)
  })
}

export function convShape(node: GraphNode, input: Shape, weight: Shape): Shape {
  const group = attributeInt(node, 'group', 1)
  const [outChannels = 0, perGroup = 0, ...kernel] = weight
  if (input[1] !== perGroup * group) {
    throw new Error(`input has ${input[1]} channels but the weight expects ${perGroup * group}`)
  }
  return [
    input[0] ?? 1,
    outChannels,
    ...windowOutput(node, input, attributeInts(node, 'kernel_shape') ?? kernel),
  ]
}

export function poolShape(node: GraphNode, input: Shape): Shape {
  const kernel = attributeInts(node, 'kernel_shape')
  if (!kernel) throw new Error('kernel_shape is missing')
  return [input[0] ?? 1, input[1] ?? 1, ...windowOutput(node, input, kernel)]
}

export function broadcastShapes(shapes: readonly Shape[]): Shape {
  const rank = Math.max(...shapes.map((s) => s.length))
  return Array.from({ length: rank }, (_, i) => {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1)
    const sizes = new Set(dims.filter((d) => d !== 1))
    if (sizes.size > 1)
      throw new Error(
        `shapes ${shapes.map((s) => `[${s.join(', ')}]`).join(' and ')} do not broadcast`,
      )
    return [...sizes][0] ?? 1
  })
}

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1)

export function flattenShape(node: GraphNode, input: Shape): Shape {
  const axis = attributeInt(node, 'axis', 1)
  const split = axis < 0 ? axis + input.length : axis
  return [product(input.slice(0, split)), product(input.slice(split))]
}

export function reshapeShape(node: GraphNode, input: Shape, target: readonly number[]): Shape {
  const allowZero = attributeInt(node, 'allowzero', 0) === 1
  const dims = target.map((dim, i) => (dim === 0 && !allowZero ? (input[i] ?? 0) : dim))
  const known = product(dims.filter((d) => d !== -1))
  const inferred = dims.filter((d) => d === -1).length
  if (inferred > 1) throw new Error('the target shape has more than one -1')
  const total = product(input)
  if (inferred === 0 ? known !== total : total % known !== 0) {
    throw new Error(`cannot reshape [${input.join(', ')}] to [${target.join(', ')}]`)
  }
  return dims.map((d) => (d === -1 ? total / known : d))
}

export function gemmShape(node: GraphNode, a: Shape, b: Shape): Shape {
  const [m, k] = attributeInt(node, 'transA', 0) === 1 ? [a[1], a[0]] : [a[0], a[1]]
  const [kb, n] = attributeInt(node, 'transB', 0) === 1 ? [b[1], b[0]] : [b[0], b[1]]
  if (a.length !== 2 || b.length !== 2 || k !== kb) {
    throw new Error(`Gemm operands [${a.join(', ')}] and [${b.join(', ')}] do not fit`)
  }
  return [m ?? 0, n ?? 0]
}

export function matMulShape(a: Shape, b: Shape): Shape {
  const left = a.length === 1 ? [1, ...a] : a
  const right = b.length === 1 ? [...b, 1] : b
  if (left.at(-1) !== right.at(-2)) {
    throw new Error(`MatMul operands [${a.join(', ')}] and [${b.join(', ')}] do not fit`)
  }
  const batch = broadcastShapes([left.slice(0, -2), right.slice(0, -2)])
  const rows = a.length === 1 ? [] : [left.at(-2) ?? 0]
  const cols = b.length === 1 ? [] : [right.at(-1) ?? 0]
  return [...batch, ...rows, ...cols]
}

export function transposeShape(node: GraphNode, input: Shape): Shape {
  const perm = attributeInts(node, 'perm') ?? input.map((_, i) => input.length - 1 - i)
  return perm.map((axis) => input[axis] ?? 0)
}

export function gatherShape(node: GraphNode, data: Shape, indices: Shape): Shape {
  const axis = normalizeAxis(attributeInt(node, 'axis', 0), data.length)
  return [...data.slice(0, axis), ...indices, ...data.slice(axis + 1)]
}

export function unsqueezeShape(input: Shape, axes: readonly number[]): Shape {
  const rank = input.length + axes.length
  const inserted = new Set(axes.map((axis) => normalizeAxis(axis, rank)))
  const source = [...input]
  return Array.from({ length: rank }, (_, i) => (inserted.has(i) ? 1 : (source.shift() ?? 1)))
}

export function squeezeShape(input: Shape, axes: readonly number[] | undefined): Shape {
  const removed = new Set(axes?.map((axis) => normalizeAxis(axis, input.length)))
  return input.filter((dim, i) => (axes ? !removed.has(i) : dim !== 1))
}

export function concatShape(node: GraphNode, inputs: readonly Shape[]): Shape {
  const first = inputs[0] ?? []
  const axis = normalizeAxis(attributeInt(node, 'axis', 0), first.length)
  const result = [...first]
  result[axis] = inputs.reduce((sum, s) => sum + (s[axis] ?? 0), 0)
  return result
}

/** One axis of a Slice: the indices it keeps, clamped as the spec says. */
export function sliceIndices(size: number, start: number, end: number, step: number): number[] {
  const clamp = (value: number, low: number, high: number): number =>
    Math.min(Math.max(value, low), high)
  const from = start < 0 ? start + size : start
  const to = end < 0 ? end + size : end
  const indices: number[] = []
  if (step > 0) {
    for (let i = clamp(from, 0, size); i < clamp(to, 0, size); i += step) indices.push(i)
  } else {
    for (let i = clamp(from, 0, size - 1); i > clamp(to, -1, size - 1); i += step) indices.push(i)
  }
  return indices
}

export interface SliceSpec {
  starts: number[]
  ends: number[]
  axes?: number[] | undefined
  steps?: number[] | undefined
}

/** For every axis of the input, the indices a Slice keeps. */
export function sliceSelection(input: Shape, spec: SliceSpec): number[][] {
  const selection = input.map((size) => Array.from({ length: size }, (_, i) => i))
  const axes = spec.axes ?? spec.starts.map((_, i) => i)
  axes.forEach((rawAxis, i) => {
    const axis = normalizeAxis(rawAxis, input.length)
    const step = spec.steps?.[i] ?? 1
    selection[axis] = sliceIndices(input[axis] ?? 0, spec.starts[i] ?? 0, spec.ends[i] ?? 0, step)
  })
  return selection
}

export function reduceShape(
  input: Shape,
  axes: readonly number[] | undefined,
  keepDims: boolean,
): Shape {
  const reduced = new Set(
    axes ? axes.map((axis) => normalizeAxis(axis, input.length)) : input.keys(),
  )
  return input.flatMap((dim, i) => (reduced.has(i) ? (keepDims ? [1] : []) : [dim]))
}
