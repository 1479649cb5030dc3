import { attributeInt, attributeInts } from '../../onnx/graph.ts'
import type { GraphNode } from '../../onnx/graph.ts'
import { intAttribute, intsAttribute } from '../attributes.ts'
import { emitScatterElements } from '../ops.ts'
import { convTransposeOutputPadding, windowCounts } from './conv-arithmetic.ts'
import type { WindowAxis } from './conv-arithmetic.ts'
import { windowAxes } from './conv-backward.ts'
import type { GradientContext } from './gradient-context.ts'

/**
 * MaxPool: a second MaxPool on the same input gives the argmax Indices, which address the
 * flattened N·C·H·W input; ScatterElements(add) on that 1-D view sends each output gradient to
 * its argmax, and overlapping windows that share an argmax add up.
 */
export function maxPoolBackward(node: GraphNode, gradient: string, ctx: GradientContext): void {
  const x = node.inputs[0] ?? ''
  if (!ctx.needsGradient(x)) return
  const [, indices = ''] = ctx.builder.addNode({
    opType: 'MaxPool',
    inputs: [x],
    name: ctx.scope(node, 'ArgMax'),
    outputs: 2,
    attributes: [...node.attributes.values()].filter((a) => a.name !== 'storage_order'),
  })
  const flat = ctx.builder.int64Constant([-1])
  const shape = ctx.emit('Shape', [x], ctx.scope(node, 'InputShape'))
  const zeros = ctx.emit('ConstantOfShape', [shape], ctx.scope(node, 'Zeros'))
  const scattered = emitScatterElements(
    ctx.builder,
    {
      data: ctx.emit('Reshape', [zeros, flat], ctx.scope(node, 'ZerosFlat')),
      indices: ctx.emit('Reshape', [indices, flat], ctx.scope(node, 'IndicesFlat')),
      updates: ctx.emit('Reshape', [gradient, flat], ctx.scope(node, 'OutputGradientFlat')),
    },
    0,
    'add',
    { name: ctx.scope(node, 'Scatter') },
  )
  ctx.accumulate(x, ctx.emit('Reshape', [scattered, shape], ctx.scope(node, 'InputGradient')))
}

/** Ceil-mode windows may run past the end padding; the transposed window crops them too. */
function coveringPadEnd(axis: WindowAxis): WindowAxis {
  const reach = (axis.output - 1) * axis.stride + axis.kernel - axis.padBegin - axis.input
  return { ...axis, padEnd: Math.max(axis.padEnd, reach) }
}

/**
 * AveragePool: each output gradient divided by its window's count (padding counted or not, as the
 * forward did), spread back over the window by a depthwise ConvTranspose with a kernel of ones.
 */
export function averagePoolBackward(node: GraphNode, gradient: string, ctx: GradientContext): void {
  const x = node.inputs[0] ?? ''
  if (!ctx.needsGradient(x)) return
  const xShape = ctx.shape(x)
  const kernel = attributeInts(node, 'kernel_shape') ?? []
  const axes = windowAxes(node, xShape, ctx.shape(node.outputs[0] ?? ''), kernel)
  const includePad = attributeInt(node, 'count_include_pad', 0) === 1
  const counts = axes.map((axis) => windowCounts(axis, includePad))
  const reciprocals = outerProduct(counts).map((count) => 1 / count)
  const outputSpatial = axes.map((a) => a.output)
  const divisor = ctx.builder.float32Constant(
    `${node.name}/Backward/inverse_counts`,
    Float32Array.from(reciprocals),
    [1, 1, ...outputSpatial],
  )
  const scaled = ctx.emit('Mul', [gradient, divisor], ctx.scope(node, 'Averaged'))
  const channels = xShape[1] ?? 1
  const ones = ctx.builder.float32Constant(
    `${node.name}/Backward/window`,
    new Float32Array(channels * kernel.reduce((p, k) => p * k, 1)).fill(1),
    [channels, 1, ...kernel],
  )
  const covering = axes.map(coveringPadEnd)
  const dx = ctx.emit('ConvTranspose', [scaled, ones], ctx.scope(node, 'InputGradient'), [
    intsAttribute('kernel_shape', kernel),
    intsAttribute(
      'strides',
      covering.map((a) => a.stride),
    ),
    intsAttribute('pads', [...covering.map((a) => a.padBegin), ...covering.map((a) => a.padEnd)]),
    intsAttribute('output_padding', covering.map(convTransposeOutputPadding)),
    intAttribute('group', channels),
  ])
  ctx.accumulate(x, dx)
}

function outerProduct(factors: readonly number[][]): number[] {
  return factors.reduce<number[]>(
    (product, axis) => product.flatMap((value) => axis.map((count) => value * count)),
    [1],
  )
}

/** GlobalAveragePool: ∂x = gy/(H·W), broadcast back over the spatial axes. */
export function globalAveragePoolBackward(
  node: GraphNode,
  gradient: string,
  ctx: GradientContext,
): void {
  const x = node.inputs[0] ?? ''
  if (!ctx.needsGradient(x)) return
  const area = ctx
    .shape(x)
    .slice(2)
    .reduce((product, size) => product * size, 1)
  const scale = ctx.floatScalar(`${node.name}/Backward/inverse_area`, 1 / area)
  const averaged = ctx.emit('Mul', [gradient, scale], ctx.scope(node, 'Averaged'))
  const shape = ctx.emit('Shape', [x], ctx.scope(node, 'InputShape'))
  ctx.accumulate(x, ctx.emit('Expand', [averaged, shape], ctx.scope(node, 'InputGradient')))
}
