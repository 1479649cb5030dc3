import type { ModelProto, TensorProto } from '../onnx/proto.ts'
import { float32Tensor } from './tensors.ts'

/**
 * A copy of `model` whose named initializers hold new float32 values (inline, so a tensor that
 * was external data is replaced too); every other initializer is shared, not copied.
 */
export function withReplacedInitializers(
  model: ModelProto,
  replacements: ReadonlyMap<string, Float32Array>,
): ModelProto {
  const graph = model.graph ?? {}
  const initializer = (graph.initializer ?? []).map((tensor): TensorProto => {
    const values = replacements.get(tensor.name ?? '')
    if (!values) return tensor
    return float32Tensor(tensor.name ?? '', tensor.dims ?? [], values)
  })
  return { ...model, graph: { ...graph, initializer } }
}
