import { DataType } from '../onnx/proto.ts'
import type { ModelProto } from '../onnx/proto.ts'
import type { ActivationTap } from './activation-graph.ts'
import { SurgeryError } from './errors.ts'
import { mapInBranchOrder } from './branch-order.ts'
import { GraphBuilder } from './graph-builder.ts'
import { intAttribute } from './attributes.ts'
import { emitSingle } from './ops.ts'
import { emitCenteredGram, gramChunks } from './reductions.ts'
import { inferRank } from './value-ranks.ts'

export type GramPooling = 'none' | 'mean'

export interface GramTapOutput {
  key: string
  tensor: string
  /** [N, N] float32: the batch-centered Gram of the tap. */
  gram: string
  /** float32: the shape of what the Gram is taken of ([N, C, H, W], or [N, C, 1, 1] pooled). */
  shape: string
  /** The tap itself as an output too, only when asked (tests compare against it). */
  activation: string | null
}

export interface GramGraph {
  model: ModelProto
  taps: GramTapOutput[]
  /** `model` encoded, given the bytes the source model was decoded from (GraphBuilder.encodeAppendedTo). */
  encodeAppendedTo(original: Uint8Array): Uint8Array
}

/**
 * The model plus, for every tap, the centered Gram Xc·Xcᵀ of its per-image vectors as a graph
 * output, so only n×n floats per tap leave ORT. 'mean' pooling averages [N, C, H, W] over H and
 * W first (GlobalAveragePool). The original model is left untouched.
 */
export function buildGramGraph(
  model: ModelProto,
  taps: readonly ActivationTap[],
  options: { pooling: GramPooling; exposeActivations?: boolean },
): GramGraph {
  const builder = new GraphBuilder(model)
  const outputs = mapInBranchOrder(builder.graph, taps, (tap): GramTapOutput => {
    const rank = inferRank(builder.graph, tap.tensor)
    if (rank !== 4 && rank !== 2) {
      throw new SurgeryError(
        'INVALID_ARGUMENT',
        `Tap '${tap.key}' (tensor '${tap.tensor}') has rank ${rank ?? 'unknown'}; CKA needs [N, C, H, W] or [N, C].`,
      )
    }
    const source =
      options.pooling === 'mean' && rank === 4
        ? emitSingle(
            builder,
            { opType: 'GlobalAveragePool', inputs: [tap.tensor] },
            { name: `${tap.tensor}/CkaPool` },
          )
        : tap.tensor
    const chunks = gramChunks(tap.channels)
    const gram = emitCenteredGram(builder, source, `${tap.tensor}/CkaGram`, chunks)
    const shapeInt = emitSingle(
      builder,
      { opType: 'Shape', inputs: [source] },
      { name: `${tap.tensor}/CkaShape` },
    )
    // The runtime hands back float32 outputs only; dims are far below 2^24, so exact.
    const to = intAttribute('to', DataType.FLOAT)
    const shape = emitSingle(
      builder,
      { opType: 'Cast', inputs: [shapeInt], attributes: [to] },
      { name: `${tap.tensor}/CkaShapeCast` },
    )
    return {
      key: tap.key,
      tensor: tap.tensor,
      shape: builder.addOutput(shape, { elemType: DataType.FLOAT, shape: [rank] }),
      gram: builder.addOutput(gram, { elemType: DataType.FLOAT, shape: [null, null] }),
      activation: options.exposeActivations ? builder.addOutput(tap.tensor) : null,
    }
  })
  return {
    model: builder.toModel(),
    taps: outputs,
    encodeAppendedTo: (original) => builder.encodeAppendedTo(original),
  }
}
