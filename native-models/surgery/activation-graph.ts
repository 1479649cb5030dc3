import { DataType } from '../onnx/proto.ts'
import type { ModelProto, ValueInfoProto } from '../onnx/proto.ts'
import { emitActivationReductions } from './activation-reductions.ts'
import type { ActivationReductionOutputs } from './activation-reductions.ts'
import { SurgeryError } from './errors.ts'
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
  const builder = new GraphBuilder(withDrawsInput(model))
  const drawsInput = DRAWS_INPUT
  const outputs = taps.map((tap) => {
    const rank = tapRank(builder, tap)
    const reductions = emitActivationReductions(builder, tap.tensor, rank, drawsInput)
    return { key: tap.key, tensor: tap.tensor, rank, ...declareOutputs(builder, reductions, rank) }
  })
  return { model: builder.toModel(), drawsInput, taps: outputs }
}

/**
 * GraphBuilder has no way to add a graph input, so the input goes into a shallow copy of the
 * model before the builder copies it in turn; the caller's model is not modified.
 */
function withDrawsInput(model: ModelProto): ModelProto {
  const graph = model.graph ?? {}
  const taken = [
    ...[...(graph.input ?? []), ...(graph.initializer ?? [])].map((item) => item.name),
    ...(graph.node ?? []).flatMap((node) => node.output ?? []),
  ]
  if (taken.includes(DRAWS_INPUT)) {
    throw new SurgeryError('INVALID_ARGUMENT', `The model already uses the name '${DRAWS_INPUT}'.`)
  }
  const draws: ValueInfoProto = {
    name: DRAWS_INPUT,
    type: tensorTypeProto(DataType.INT64, ['activation_samples']),
  }
  return { ...model, graph: { ...graph, input: [...(graph.input ?? []), draws] } }
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
