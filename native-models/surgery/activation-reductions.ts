import { DataType } from '../onnx/proto.ts'
import { intAttribute } from './attributes.ts'
import type { GraphBuilder } from './graph-builder.ts'
import { emitReduce, emitSingle } from './ops.ts'
import type { ReduceOp } from './ops.ts'

/** Graph output names of one tap's per-batch statistics; every output is float32. */
export interface ActivationReductionOutputs {
  /** The tap's dims for this batch, e.g. [N, C, H, W]. */
  shape: string
  /** Batch mean per channel, [1, C, 1, 1] (or [1, C]). */
  mean: string
  /** Σ (x − batch mean)² per channel, [C]. */
  m2: string
  max: string
  min: string
  /** Count of values equal to 0 per channel, [C]. */
  zeros: string
  /** The values at the fed draws modulo the tap's size, [samples]. */
  samples: string
}

/** Per-channel axes of an [N, C, H, W] or [N, C] tensor: everything but the channel. */
export function channelReductionAxes(rank: number): number[] {
  if (rank === 4) return [0, 2, 3]
  if (rank === 2) return [0]
  throw new RangeError(`Per-channel statistics need an NCHW or [N, C] tensor, got rank ${rank}.`)
}

/**
 * Appends the per-batch statistics of `tensor` and returns their (not yet output) names. M2 is
 * taken around the batch mean inside the graph, because fp32 E[x²] − E[x]² cancels badly for
 * post-ReLU means (T4); batches are combined later in float64.
 */
export function emitActivationReductions(
  builder: GraphBuilder,
  tensor: string,
  rank: number,
  draws: string,
): ActivationReductionOutputs {
  const axes = channelReductionAxes(rank)
  const name = `${tensor}/Stats`
  const reduce = (op: ReduceOp, input: string, keepdims = false): string =>
    emitReduce(builder, op, input, axes, { keepdims, name: `${name}/${op}` })
  const mean = reduce('ReduceMean', tensor, true)
  const centered = emit(builder, 'Sub', [tensor, mean], name)
  return {
    shape: castToFloat(builder, emit(builder, 'Shape', [tensor], name), name),
    mean,
    m2: reduce('ReduceSumSquare', centered),
    max: reduce('ReduceMax', tensor),
    min: reduce('ReduceMin', tensor),
    zeros: reduce('ReduceSum', castToFloat(builder, emitIsZero(builder, tensor, name), name)),
    samples: emitSampledValues(builder, tensor, draws, name),
  }
}

function emit(builder: GraphBuilder, opType: string, inputs: string[], base: string): string {
  return emitSingle(builder, { opType, inputs }, { name: `${base}/${opType}` })
}

function castToFloat(builder: GraphBuilder, input: string, base: string): string {
  const to = intAttribute('to', DataType.FLOAT)
  return emitSingle(builder, { opType: 'Cast', inputs: [input], attributes: [to] }, { name: base })
}

function emitIsZero(builder: GraphBuilder, tensor: string, base: string): string {
  const zero = builder.float32Constant('activation_stats.zero', Float32Array.of(0), [])
  return emit(builder, 'Equal', [tensor, zero], base)
}

/**
 * Gather of the flattened tensor at draws mod its size: the draws are uniform 53-bit integers, so
 * the positions are uniform (bias ≤ size / 2^53) whatever the batch size or spatial size.
 */
function emitSampledValues(
  builder: GraphBuilder,
  tensor: string,
  draws: string,
  base: string,
): string {
  const flat = emitSingle(
    builder,
    { opType: 'Reshape', inputs: [tensor, builder.int64Constant([-1])] },
    { name: `${base}/Flatten` },
  )
  const size = emit(builder, 'Size', [tensor], base)
  const positions = emit(builder, 'Mod', [draws, size], base)
  return emit(builder, 'Gather', [flat, positions], base)
}
