import { attributeInt, attributeInts, attributeString } from '../../onnx/graph.ts'
import type { GraphNode } from '../../onnx/graph.ts'
import { intAttribute, intsAttribute } from '../attributes.ts'
import { SurgeryError } from '../errors.ts'
import { emitReduce } from '../ops.ts'
import {
  convTransposeOutputPadding,
  explicitPads,
  stridelessTransposePads,
} from './conv-arithmetic.ts'
import type { WindowAxis } from './conv-arithmetic.ts'
import { windowWeightGradient } from './conv-weight-gradient.ts'
import type { GradientContext } from './gradient-context.ts'

/** The window of a Conv or pooling node along each spatial axis, with explicit pads. */
export function windowAxes(
  node: GraphNode,
  input: readonly number[],
  output: readonly number[],
  kernel: readonly number[],
): WindowAxis[] {
  const spatial = input.length - 2
  const strides = attributeInts(node, 'strides') ?? []
  const dilations = attributeInts(node, 'dilations') ?? []
  const pads = attributeInts(node, 'pads') ?? []
  const autoPad = attributeString(node, 'auto_pad', 'NOTSET')
  return Array.from({ length: spatial }, (_, i) => {
    const size = input[i + 2] ?? 1
    const stride = strides[i] ?? 1
    const dilation = dilations[i] ?? 1
    const k = kernel[i] ?? 1
    const [padBegin, padEnd] =
      autoPad === 'NOTSET'
        ? [pads[i] ?? 0, pads[i + spatial] ?? 0]
        : explicitPads(autoPad, size, k, stride, dilation)
    return {
      input: size,
      output: output[i + 2] ?? 1,
      kernel: k,
      stride,
      dilation,
      padBegin,
      padEnd,
    }
  })
}

/** Swaps the batch and channel axes: [N, C, ...] ↔ [C, N, ...]. */
function swapBatchAndChannels(ctx: GradientContext, tensor: string, rank: number, name: string) {
  const perm = [1, 0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]
  return ctx.emit('Transpose', [tensor], name, [intsAttribute('perm', perm)])
}

/** A 1×1 window without padding: its weight gradient is one Gemm on the (strided) input. */
export function isPointwise(axes: readonly WindowAxis[]): boolean {
  return axes.every((a) => a.kernel === 1 && a.padBegin === 0 && a.padEnd === 0)
}

/** A Conv node's geometry as its backward rules need it. */
export interface ConvWindow {
  axes: WindowAxis[]
  group: number
  weightShape: number[]
}

export function convWindow(node: GraphNode, ctx: GradientContext): ConvWindow {
  const [x = '', weight = ''] = node.inputs
  const weightShape = ctx.shape(weight)
  const kernel = attributeInts(node, 'kernel_shape') ?? weightShape.slice(2)
  const axes = windowAxes(node, ctx.shape(x), ctx.shape(node.outputs[0] ?? ''), kernel)
  return { axes, group: attributeInt(node, 'group', 1), weightShape }
}

/** Conv: ∂x by a Conv or ConvTranspose, ∂W by one Gemm (on an im2col matrix for k×k), ∂b by a sum. */
export function convBackward(node: GraphNode, gradient: string, ctx: GradientContext): void {
  const [x = '', weight = '', bias] = node.inputs
  const window = convWindow(node, ctx)
  if (ctx.needsGradient(x)) {
    ctx.accumulate(x, convInputGradient(node, gradient, weight, window, ctx))
  }
  if (ctx.needsGradient(weight)) {
    ctx.accumulate(weight, convWeightGradient(node, gradient, window, ctx))
  }
  if (ctx.needsGradient(bias)) {
    const reduced = [0, ...window.axes.map((_, i) => i + 2)]
    const name = ctx.scope(node, 'BiasGradient')
    ctx.accumulate(
      bias,
      emitReduce(ctx.builder, 'ReduceSum', gradient, reduced, { keepdims: false, name }),
    )
  }
}

/** ∂x of a Conv whose output gradient is `gradient`, by the weight tensor `weight` (W or a rescaled W). */
export function convInputGradient(
  node: GraphNode,
  gradient: string,
  weight: string,
  { axes, group }: ConvWindow,
  ctx: GradientContext,
): string {
  const pads = group === 1 ? stridelessTransposePads(axes) : null
  if (pads !== null) return flippedWeightConv(node, gradient, weight, axes, pads, ctx)
  const attributes = [
    intsAttribute(
      'kernel_shape',
      axes.map((a) => a.kernel),
    ),
    intsAttribute(
      'strides',
      axes.map((a) => a.stride),
    ),
    intsAttribute(
      'dilations',
      axes.map((a) => a.dilation),
    ),
    intsAttribute('pads', [...axes.map((a) => a.padBegin), ...axes.map((a) => a.padEnd)]),
    intsAttribute('output_padding', axes.map(convTransposeOutputPadding)),
    intAttribute('group', group),
  ]
  return ctx.emit('ConvTranspose', [gradient, weight], ctx.scope(node, 'InputGradient'), attributes)
}

/**
 * A stride-1 conv's input gradient as a plain Conv of gy with the weight transposed (in ↔ out)
 * and flipped: ORT's Conv kernels run it about twice as fast as ConvTranspose, and the weight
 * transform folds into a constant at session creation.
 */
function flippedWeightConv(
  node: GraphNode,
  gradient: string,
  weight: string,
  axes: readonly WindowAxis[],
  pads: readonly number[],
  ctx: GradientContext,
): string {
  const rank = axes.length + 2
  const transposed = swapBatchAndChannels(ctx, weight, rank, ctx.scope(node, 'WeightTranspose'))
  const flipped = axes.every((a) => a.kernel === 1)
    ? transposed
    : ctx.emit(
        'Slice',
        [
          transposed,
          ctx.builder.int64Constant(axes.map(() => -1)),
          ctx.builder.int64Constant(axes.map((a) => -(a.kernel + 1))),
          ctx.builder.int64Constant(axes.map((_, i) => i + 2)),
          ctx.builder.int64Constant(axes.map(() => -1)),
        ],
        ctx.scope(node, 'WeightFlip'),
      )
  return ctx.emit('Conv', [gradient, flipped], ctx.scope(node, 'InputGradient'), [
    intsAttribute(
      'dilations',
      axes.map((a) => a.dilation),
    ),
    intsAttribute('pads', pads),
  ])
}

/** ∂W of a Conv (group 1) whose output gradient is `gradient`, in W's shape, from the saved input. */
export function convWeightGradient(
  node: GraphNode,
  gradient: string,
  { axes, group, weightShape }: ConvWindow,
  ctx: GradientContext,
): string {
  const x = ctx.saved(node.inputs[0] ?? '')
  if (group !== 1) {
    throw new SurgeryError(
      'INVALID_ARGUMENT',
      `Node '${node.name}' is a grouped Conv (group ${group}); the backward graph computes weight gradients for group 1 only.`,
    )
  }
  return isPointwise(axes)
    ? pointwiseWeightGradient(node, gradient, x, weightShape, axes, ctx)
    : windowWeightGradient(node, gradient, x, weightShape, axes, ctx)
}

/** 1×1 conv: ∂W = gyᵀ·x over every (image, position), one Gemm on [C, N·H·W] views. */
function pointwiseWeightGradient(
  node: GraphNode,
  gradient: string,
  x: string,
  weightShape: readonly number[],
  axes: readonly WindowAxis[],
  ctx: GradientContext,
): string {
  const rank = axes.length + 2
  const [outChannels = 0, inChannels = 0] = weightShape
  const sampled = axes.every((a) => a.stride === 1)
    ? x
    : ctx.emit(
        'Slice',
        [
          x,
          ctx.builder.int64Constant(axes.map(() => 0)),
          ctx.builder.int64Constant(axes.map((a) => a.input)),
          ctx.builder.int64Constant(axes.map((_, i) => i + 2)),
          ctx.builder.int64Constant(axes.map((a) => a.stride)),
        ],
        ctx.scope(node, 'StridedInput'),
      )
  const rows = (tensor: string, channels: number, part: string): string => {
    const swapped = swapBatchAndChannels(ctx, tensor, rank, ctx.scope(node, `${part}Transpose`))
    const shape = ctx.builder.int64Constant([channels, -1])
    return ctx.emit('Reshape', [swapped, shape], ctx.scope(node, `${part}Rows`))
  }
  const product = ctx.emit(
    'Gemm',
    [rows(gradient, outChannels, 'OutputGradient'), rows(sampled, inChannels, 'Input')],
    ctx.scope(node, 'WeightGradientGemm'),
    [intAttribute('transB', 1)],
  )
  const shape = ctx.builder.int64Constant([...weightShape])
  return ctx.emit('Reshape', [product, shape], ctx.scope(node, 'WeightGradient'))
}
