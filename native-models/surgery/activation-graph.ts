import { DataType } from '../onnx/proto.ts'
import type { ModelProto } from '../onnx/proto.ts'
import { emitActivationReductions } from './activation-reductions.ts'
import type { ActivationReductionOutputs } from './activation-reductions.ts'
import { SurgeryError } from './errors.ts'
import { mapInBranchOrder } from './branch-order.ts'
import { GraphBuilder } from './graph-builder.ts'
import { inferRank } from './value-ranks.ts'
import { tensorTypeProto } from './value-types.ts'
import type { DeclaredDim } from './value-types.ts'

/** A tensor to take statistics of, under the layer key the results are stored by. */
export interface ActivationTap {
  key: string
  tensor: string
  /** C of an [N, C, H, W] or [N, C] tap, when the model's summary knows it. */
  channels?: number
}

export interface ActivationTapOutputs extends ActivationReductionOutputs {
  key: string
  tensor: string
  rank: number
}

export interface ActivationGraph {
  model: ModelProto
  /** `model` encoded, given the bytes the source model was decoded from (GraphBuilder.encodeAppendedTo). */
  encodeAppendedTo(original: Uint8Array): Uint8Array
  /** int64 [samples] input: uniform draws in [0, 2^53), reduced modulo each tap's size. */
  drawsInput: string
  taps: ActivationTapOutputs[]
}

const DRAWS_INPUT = 'activation_stats_draws'

/**
 * The model plus, for every tap, per-channel batch reductions and a sampled-values Gather as
 * graph outputs; the original model is left untouched.
 */
export function buildActivationGraph(
  model: ModelProto,
  taps: readonly ActivationTap[],
): ActivationGraph {
  const builder = new GraphBuilder(model)
  const drawsType = tensorTypeProto(DataType.INT64, ['activation_samples'])
  const drawsInput = builder.addInput(DRAWS_INPUT, drawsType)
  const outputs = mapInBranchOrder(builder.graph, taps, (tap) => {
    const rank = tapRank(builder, tap)
    const reductions = emitActivationReductions(builder, tap.tensor, rank, drawsInput)
    return { key: tap.key, tensor: tap.tensor, rank, ...declareOutputs(builder, reductions, rank) }
  })
  return {
    model: builder.toModel(),
    drawsInput,
    taps: outputs,
    encodeAppendedTo: (original) => builder.encodeAppendedTo(original),
  }
}

function tapRank(builder: GraphBuilder, tap: ActivationTap): number {
  const rank = inferRank(builder.graph, tap.tensor)
  if (rank === 4 || rank === 2) return rank
  throw new SurgeryError(
    'INVALID_ARGUMENT',
    `Tap '${tap.key}' (tensor '${tap.tensor}') has rank ${rank ?? 'unknown'}; activation statistics need [N, C, H, W] or [N, C].`,
  )
}

function declareOutputs(
  builder: GraphBuilder,
  reductions: ActivationReductionOutputs,
  rank: number,
): ActivationReductionOutputs {
  const float = (shape: DeclaredDim[]): { elemType: number; shape: DeclaredDim[] } => ({
    elemType: DataType.FLOAT,
    shape,
  })
  const perChannel = float([null])
  const keptMean = float(rank === 4 ? [1, null, 1, 1] : [1, null])
  return {
    shape: builder.addOutput(reductions.shape, float([rank])),
    mean: builder.addOutput(reductions.mean, keptMean),
    m2: builder.addOutput(reductions.m2, perChannel),
    max: builder.addOutput(reductions.max, perChannel),
    min: builder.addOutput(reductions.min, perChannel),
    zeros: builder.addOutput(reductions.zeros, perChannel),
    samples: builder.addOutput(reductions.samples, float(['activation_samples'])),
  }
}
