import type { GraphNode } from '../../onnx/graph.ts'
import { intAttribute, intsAttribute } from '../attributes.ts'
import type { WindowAxis } from './conv-arithmetic.ts'
import type { GradientContext } from './gradient-context.ts'

/**
 * ∂W[o, i, tap] = Σ_n,p gy[n, o, p]·x[n, i, p·stride + tap·dilation] as one Gemm on channels-last
 * views: gy as rows [N·Ho·Wo, O], and x (padded once) as the im2col matrix [N·Ho·Wo, taps·I]
 * gathered by one strided Slice per kernel tap. A Conv of x by gy (channels as batch) computes the
 * same sums, but ORT runs it as I GEMMs of width taps: 1.4–3× as long in ResNet50 profiles at
 * 32² (batch 32) as this Gemm with its slices. Without ctx.exactLayout the result keeps the
 * Gemm's order, [O, kh, kw, I], in W's shape: each output channel's values permuted, which norms
 * and per-channel scaling do not see, and one weight-sized Transpose less.
 */
export function windowWeightGradient(
  node: GraphNode,
  gradient: string,
  x: string,
  weightShape: readonly number[],
  axes: readonly WindowAxis[],
  ctx: GradientContext,
): string {
  const [outChannels = 0, inChannels = 0] = weightShape
  const rank = axes.length + 2
  const channelsLast = [0, ...axes.map((_, i) => i + 2), 1]
  const toChannelsLast = (tensor: string, part: string): string =>
    ctx.emit('Transpose', [tensor], ctx.scope(node, part), [intsAttribute('perm', channelsLast)])
  const padded = padSpatial(node, toChannelsLast(x, 'InputChannelsLast'), axes, ctx)
  const taps = kernelTaps(axes).map((tap, t) =>
    ctx.emit(
      'Slice',
      [
        padded,
        ctx.builder.int64Constant(tap.map((offset, i) => offset * (axes[i]?.dilation ?? 1))),
        ctx.builder.int64Constant(tap.map((offset, i) => tapEnd(offset, axes[i]))),
        ctx.builder.int64Constant(axes.map((_, i) => i + 1)),
        ctx.builder.int64Constant(axes.map((a) => a.stride)),
      ],
      ctx.scope(node, `Tap${t}`),
    ),
  )
  const columns = ctx.emit(
    'Reshape',
    [
      ctx.emit('Concat', taps, ctx.scope(node, 'Im2Col'), [intAttribute('axis', rank - 1)]),
      ctx.builder.int64Constant([-1, taps.length * inChannels]),
    ],
    ctx.scope(node, 'Im2ColRows'),
  )
  const gradientRows = ctx.emit(
    'Reshape',
    [
      toChannelsLast(gradient, 'OutputGradientChannelsLast'),
      ctx.builder.int64Constant([-1, outChannels]),
    ],
    ctx.scope(node, 'OutputGradientRows'),
  )
  const product = ctx.emit('Gemm', [gradientRows, columns], ctx.scope(node, 'WeightGradientGemm'), [
    intAttribute('transA', 1),
  ])
  const shape = ctx.builder.int64Constant([...weightShape])
  if (!ctx.exactLayout)
    return ctx.emit('Reshape', [product, shape], ctx.scope(node, 'WeightGradient'))
  // [O, taps·I] is [O, kh, kw, I]: back to ONNX's [O, I, kh, kw].
  const tapsFirst = ctx.emit(
    'Reshape',
    [product, ctx.builder.int64Constant([outChannels, ...axes.map((a) => a.kernel), inChannels])],
    ctx.scope(node, 'WeightGradientTaps'),
  )
  return ctx.emit('Transpose', [tapsFirst], ctx.scope(node, 'WeightGradient'), [
    intsAttribute('perm', [0, rank - 1, ...axes.map((_, i) => i + 1)]),
  ])
}

/**
 * W in the element order of windowWeightGradient's result: W itself, or, when the context lets
 * gradients permute values within an output channel, W's [O, kh, kw, I] order in W's shape (a
 * constant that ORT folds at session creation).
 */
export function weightInGradientOrder(
  node: GraphNode,
  weight: string,
  weightShape: readonly number[],
  ctx: GradientContext,
): string {
  if (ctx.exactLayout) return weight
  const rank = weightShape.length
  const tapsFirst = ctx.emit('Transpose', [weight], ctx.scope(node, 'WeightTapsFirst'), [
    intsAttribute('perm', [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1]),
  ])
  const shape = ctx.builder.int64Constant([...weightShape])
  return ctx.emit('Reshape', [tapsFirst, shape], ctx.scope(node, 'WeightInGradientOrder'))
}

function padSpatial(
  node: GraphNode,
  channelsLast: string,
  axes: readonly WindowAxis[],
  ctx: GradientContext,
): string {
  if (axes.every((a) => a.padBegin === 0 && a.padEnd === 0)) return channelsLast
  const pads = [0, ...axes.map((a) => a.padBegin), 0, 0, ...axes.map((a) => a.padEnd), 0]
  return ctx.emit(
    'Pad',
    [channelsLast, ctx.builder.int64Constant(pads)],
    ctx.scope(node, 'PaddedInput'),
  )
}

/** Every kernel offset, row-major ([0, 0], [0, 1], … for 2-D), the order of W's trailing axes. */
function kernelTaps(axes: readonly WindowAxis[]): number[][] {
  return axes.reduce<number[][]>(
    (taps, axis) =>
      taps.flatMap((tap) => Array.from({ length: axis.kernel }, (_, k) => [...tap, k])),
    [[]],
  )
}

/** Exclusive end of a tap's strided slice: just past the input row the last output reads. */
function tapEnd(offset: number, axis: WindowAxis | undefined): number {
  if (axis === undefined) return 0
  return offset * axis.dilation + axis.stride * (axis.output - 1) + 1
}
