import type { GraphNode } from '../../onnx/graph.ts'
import { intAttribute, intsAttribute } from '../attributes.ts'
import type { WindowAxis } from './conv-arithmetic.ts'
import type { GradientContext } from './gradient-context.ts'

/**
 * ∂W[o, i, tap] = Σ_n,p gy[n, o, p]·x[n, i, p·stride + tap·dilation] as one Gemm of gy's rows and
 * the im2col matrix of x (padded once), gathered by one strided Slice per kernel tap, in one of
 * two layouts (see im2colLayout). A Conv of x by gy (channels as batch) computes the same sums,
 * but ORT runs it as I GEMMs of width taps: 1.4–3× as long in ResNet50 profiles at 32² (batch 32)
 * as this Gemm with its slices. Without ctx.hasExactLayout(W) the result keeps the Gemm's order,
 * [O, kh, kw, I], in W's shape: each output channel's values permuted, which norms and
 * per-channel scaling do not see, and one weight-sized Transpose less. `x` is the tensor holding
 * the input's values (the retained substitute when there is one).
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
  const layout = im2colLayout(axes, inChannels)
  const arrange = (tensor: string, part: string): string =>
    ctx.emit('Transpose', [tensor], ctx.scope(node, part), [intsAttribute('perm', layout.perm)])
  const padded = padSpatial(node, arrange(x, 'InputArranged'), axes, layout, ctx)
  const taps = kernelTaps(axes).map((tap, t) =>
    ctx.emit(
      'Slice',
      [
        padded,
        ctx.builder.int64Constant(tap.map((offset, i) => offset * (axes[i]?.dilation ?? 1))),
        ctx.builder.int64Constant(tap.map((offset, i) => tapEnd(offset, axes[i]))),
        ctx.builder.int64Constant(layout.spatialAxes),
        ctx.builder.int64Constant(axes.map((a) => a.stride)),
      ],
      ctx.scope(node, `Tap${t}`),
    ),
  )
  const columnCount = taps.length * inChannels
  const columns = ctx.emit(
    'Reshape',
    [
      ctx.emit('Concat', taps, ctx.scope(node, 'Im2Col'), [
        intAttribute('axis', layout.channelAxis),
      ]),
      ctx.builder.int64Constant(layout.channelsFirst ? [columnCount, -1] : [-1, columnCount]),
    ],
    ctx.scope(node, 'Im2ColRows'),
  )
  const gradientRows = ctx.emit(
    'Reshape',
    [
      arrange(gradient, 'OutputGradientArranged'),
      ctx.builder.int64Constant(layout.channelsFirst ? [outChannels, -1] : [-1, outChannels]),
    ],
    ctx.scope(node, 'OutputGradientRows'),
  )
  const product = ctx.emit('Gemm', [gradientRows, columns], ctx.scope(node, 'WeightGradientGemm'), [
    intAttribute(layout.channelsFirst ? 'transB' : 'transA', 1),
  ])
  const shape = ctx.builder.int64Constant([...weightShape])
  if (!ctx.hasExactLayout(node.inputs[1] ?? ''))
    return ctx.emit('Reshape', [product, shape], ctx.scope(node, 'WeightGradient'))
  // [O, taps·I] is [O, kh, kw, I]: back to ONNX's [O, I, kh, kw].
  const tapsFirst = ctx.emit(
    'Reshape',
    [product, ctx.builder.int64Constant([outChannels, ...axes.map((a) => a.kernel), inChannels])],
    ctx.scope(node, 'WeightGradientTaps'),
  )
  return ctx.emit('Transpose', [tapsFirst], ctx.scope(node, 'WeightGradient'), [
    intsAttribute('perm', [0, axes.length + 1, ...axes.map((_, i) => i + 1)]),
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
  if (ctx.hasExactLayout(weight)) return weight
  const rank = weightShape.length
  const tapsFirst = ctx.emit('Transpose', [weight], ctx.scope(node, 'WeightTapsFirst'), [
    intsAttribute('perm', [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1]),
  ])
  const shape = ctx.builder.int64Constant([...weightShape])
  return ctx.emit('Reshape', [tapsFirst, shape], ctx.scope(node, 'WeightInGradientOrder'))
}

function padSpatial(
  node: GraphNode,
  arranged: string,
  axes: readonly WindowAxis[],
  layout: Im2colLayout,
  ctx: GradientContext,
): string {
  if (axes.every((a) => a.padBegin === 0 && a.padEnd === 0)) return arranged
  const rank = axes.length + 2
  const begin = new Array<number>(rank).fill(0)
  const end = new Array<number>(rank).fill(0)
  axes.forEach((a, i) => {
    const axis = layout.spatialAxes[i] ?? 0
    begin[axis] = a.padBegin
    end[axis] = a.padEnd
  })
  return ctx.emit(
    'Pad',
    [arranged, ctx.builder.int64Constant([...begin, ...end])],
    ctx.scope(node, 'PaddedInput'),
  )
}

/** How x and gy are laid out for the im2col Gemm. */
interface Im2colLayout {
  /** [I, N, ...spatial] (columns [taps·I, N·Ho·Wo]) rather than [N, ...spatial, I] (transposed). */
  channelsFirst: boolean
  perm: number[]
  spatialAxes: number[]
  channelAxis: number
}

/**
 * Each tap's Slice copies contiguous runs of Wo values channels-first (one value when strided) and
 * of I values channels-last, so wide, shallow inputs go channels-first, where the Concat is a
 * plain append and ORT's Gemm runs 15–35% faster (transB rather than transA). ResNet50 at 224²,
 * batch 8, im2col and Gemm together: the stem gains 24 ms and layer1's three 3×3 convs 13 ms,
 * while layer3's six and layer4's three would lose 4–5 ms to short rows; layer2 (Wo = 28,
 * I = 128) is even.
 */
function im2colLayout(axes: readonly WindowAxis[], inChannels: number): Im2colLayout {
  const spatial = axes.map((_, i) => i + 2)
  const width = axes[axes.length - 1]?.output ?? 1
  if (2 * width >= inChannels) {
    return { channelsFirst: true, perm: [1, 0, ...spatial], spatialAxes: spatial, channelAxis: 0 }
  }
  return {
    channelsFirst: false,
    perm: [0, ...spatial, 1],
    spatialAxes: spatial.map((axis) => axis - 1),
    channelAxis: axes.length + 1,
  }
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
