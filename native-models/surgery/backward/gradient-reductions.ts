import { DataType } from '../../onnx/proto.ts'
import { intAttribute } from '../attributes.ts'
import { emitReduce } from '../ops.ts'
import type { GradientContext } from './gradient-context.ts'

/** Longest run of float32 additions in a norm: about 2e-6 relative error, typically. */
const FLOAT32_ROW = 1024

/**
 * ‖g‖₂: squares summed in float32 over trailing axes holding at most FLOAT32_ROW values, those
 * partial sums in float64. Casting the whole gradient to float64 first cost ~10% of a ResNet50
 * backward pass; summing everything in float32 erred by up to 1e-5 on block outputs.
 */
export function normOf(
  ctx: GradientContext,
  gradient: string,
  shape: readonly number[],
  label: string,
): string {
  const rank = shape.length
  let first = rank
  for (let row = 1; first > 1 && row * (shape[first - 1] ?? 1) <= FLOAT32_ROW; first -= 1) {
    row *= shape[first - 1] ?? 1
  }
  const inner = Array.from({ length: rank - first }, (_, i) => first + i)
  const partial =
    inner.length > 0
      ? emitReduce(ctx.builder, 'ReduceSumSquare', gradient, inner, {
          keepdims: false,
          name: `${label}/GradientNorm/RowSquares`,
        })
      : ctx.emit('Mul', [gradient, gradient], `${label}/GradientNorm/Squares`)
  const wide = ctx.emit('Cast', [partial], `${label}/GradientNorm/Cast`, [
    intAttribute('to', DataType.DOUBLE),
  ])
  const squares = emitReduce(
    ctx.builder,
    'ReduceSum',
    wide,
    Array.from({ length: first }, (_, i) => i),
    { keepdims: false, name: `${label}/GradientNorm/Sum` },
  )
  const norm = ctx.emit('Sqrt', [squares], `${label}/GradientNorm/Sqrt`)
  return ctx.emit('Cast', [norm], `${label}/GradientNorm`, [intAttribute('to', DataType.FLOAT)])
}

/** Float32 [C] tensors of per-channel statistics of a gradient g, over every axis but axis 1. */
export interface ChannelStatisticTensors {
  /** Σ g². */
  sumOfSquares: string
  /** How many g ≠ 0 (exact up to 2²⁴ per channel). */
  nonzeroCount: string
  /** max g². */
  maxSquare: string
}

/**
 * Per-channel statistics of the gradient `gradient` of an [N, C, ...] tensor: sums in float32 over
 * the spatial axes of each image, then in float64 over the batch, as normOf does.
 */
export function channelStatisticsOf(
  ctx: GradientContext,
  gradient: string,
  rank: number,
  label: string,
): ChannelStatisticTensors {
  const scope = `${label}/GradientChannelStatistics`
  const squares = ctx.emit('Mul', [gradient, gradient], `${scope}/Squares`)
  const isZero = ctx.emit(
    'Equal',
    [gradient, ctx.floatScalar(`${scope}/zero`, 0)],
    `${scope}/IsZero`,
  )
  const nonzero = ctx.emit(
    'Cast',
    [ctx.emit('Not', [isZero], `${scope}/IsNonzero`)],
    `${scope}/Nonzero`,
    [intAttribute('to', DataType.FLOAT)],
  )
  const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 2)
  return {
    sumOfSquares: perChannelSum(ctx, squares, spatial, `${scope}/SumOfSquares`),
    nonzeroCount: perChannelSum(ctx, nonzero, spatial, `${scope}/NonzeroCount`),
    maxSquare: emitReduce(ctx.builder, 'ReduceMax', squares, [0, ...spatial], {
      keepdims: false,
      name: `${scope}/MaxSquare`,
    }),
  }
}

function perChannelSum(
  ctx: GradientContext,
  values: string,
  spatial: readonly number[],
  name: string,
): string {
  const partial =
    spatial.length > 0
      ? emitReduce(ctx.builder, 'ReduceSum', values, spatial, {
          keepdims: false,
          name: `${name}/PerImage`,
        })
      : values
  const wide = ctx.emit('Cast', [partial], `${name}/Cast`, [intAttribute('to', DataType.DOUBLE)])
  const total = emitReduce(ctx.builder, 'ReduceSum', wide, [0], {
    keepdims: false,
    name: `${name}/OverBatch`,
  })
  return ctx.emit('Cast', [total], name, [intAttribute('to', DataType.FLOAT)])
}
