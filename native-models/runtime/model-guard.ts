import { decodeModelProto, encodeModelProto } from '../onnx/proto.ts'
import type { ModelProto, NodeProto } from '../onnx/proto.ts'

/**
 * ORT 1.30 segfaults running an opset 9–13 BatchNormalization that lists its absent training
 * outputs as '' (valid ONNX; see tests/unit/surgery/helpers/tiny-classifier.ts). A trailing ''
 * output means "not produced" for every operator, so dropping them never changes the graph.
 */
export function stripTrailingEmptyOutputs(model: ModelProto): {
  model: ModelProto
  strippedNodes: number
} {
  const nodes = model.graph?.node ?? []
  let strippedNodes = 0
  const guarded = nodes.map((node) => {
    const output = withoutTrailingEmpty(node.output ?? [])
    if (output.length === (node.output ?? []).length) return node
    strippedNodes += 1
    return { ...node, output } satisfies NodeProto
  })
  if (strippedNodes === 0) return { model, strippedNodes }
  return { model: { ...model, graph: { ...model.graph, node: guarded } }, strippedNodes }
}

/**
 * The guard on encoded bytes. Decoding is cheap (tensor bytes stay views: ~7 ms for a ResNet50);
 * encoding is not (~0.8 s), so bytes are re-encoded only when a node changed.
 */
export function guardModelBytes(bytes: Uint8Array): Uint8Array {
  let decoded: ModelProto
  try {
    decoded = decodeModelProto(bytes)
  } catch {
    return bytes // not a ModelProto: ORT's own error names the problem better
  }
  const { model, strippedNodes } = stripTrailingEmptyOutputs(decoded)
  return strippedNodes === 0 ? bytes : encodeModelProto(model)
}

function withoutTrailingEmpty(outputs: readonly string[]): string[] {
  let end = outputs.length
  while (end > 1 && outputs[end - 1] === '') end -= 1
  return outputs.slice(0, end)
}
