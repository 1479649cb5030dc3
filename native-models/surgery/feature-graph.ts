import { DataType } from '../onnx/proto.ts'
import type { ModelProto } from '../onnx/proto.ts'
import { intAttribute } from './attributes.ts'
import { SurgeryError } from './errors.ts'
import { GraphBuilder } from './graph-builder.ts'
import { emitSingle } from './ops.ts'
import { inferRank } from './value-ranks.ts'

export interface FeatureGraph {
  model: ModelProto
  /** [N, D] float32: one feature vector per image. */
  output: string
  encodeAppendedTo(original: Uint8Array): Uint8Array
}

/**
 * The model plus one [N, D] output of a tap's features: a 2-D tap as it is; a 4-D tap averaged
 * over H and W ('mean') or flattened to C·H·W ('none'). The original model is left untouched.
 */
export function buildFeatureGraph(
  model: ModelProto,
  tensor: string,
  pooling: 'none' | 'mean',
): FeatureGraph {
  const builder = new GraphBuilder(model)
  const rank = inferRank(builder.graph, tensor)
  if (rank !== 2 && rank !== 4)
    throw new SurgeryError(
      'INVALID_ARGUMENT',
      `Tensor '${tensor}' has rank ${rank ?? 'unknown'}; features need [N, C] or [N, C, H, W].`,
    )
  const pooled =
    rank === 4 && pooling === 'mean'
      ? emitSingle(
          builder,
          { opType: 'GlobalAveragePool', inputs: [tensor] },
          { name: `${tensor}/FeaturePool` },
        )
      : tensor
  const flat =
    rank === 4
      ? emitSingle(
          builder,
          { opType: 'Flatten', inputs: [pooled], attributes: [intAttribute('axis', 1)] },
          { name: `${tensor}/FeatureFlatten` },
        )
      : pooled
  const output = builder.addOutput(flat, { elemType: DataType.FLOAT, shape: [null, null] })
  return { model: builder.toModel(), output, encodeAppendedTo: (o) => builder.encodeAppendedTo(o) }
}
