import type { GraphNode } from '../../onnx/graph.ts'
import type { ModelAnalysis } from '../../onnx/model-analysis.ts'
import { DataType } from '../../onnx/proto.ts'
import { activationTensors } from '../../onnx/resnet-structure.ts'
import { SurgeryError } from '../errors.ts'
import type { GraphBuilder } from '../graph-builder.ts'
import { inferElemType } from '../value-types.ts'

/** Per op: the input slots a gradient flows into, and those among them that may hold parameters. */
interface SlotRule {
  slots: readonly number[]
  parameterSlots: readonly number[]
}

const RESHAPING = { slots: [0], parameterSlots: [] } as const

export const SLOT_RULES: ReadonlyMap<string, SlotRule> = new Map<string, SlotRule>([
  ['Conv', { slots: [0, 1, 2], parameterSlots: [1, 2] }],
  ['BatchNormalization', { slots: [0, 1, 2], parameterSlots: [1, 2] }],
  ['Relu', { slots: [0], parameterSlots: [] }],
  ['MaxPool', { slots: [0], parameterSlots: [] }],
  ['AveragePool', { slots: [0], parameterSlots: [] }],
  ['GlobalAveragePool', { slots: [0], parameterSlots: [] }],
  ['Add', { slots: [0, 1], parameterSlots: [0, 1] }],
  ['Gemm', { slots: [0, 1, 2], parameterSlots: [1, 2] }],
  ['MatMul', { slots: [0, 1], parameterSlots: [0, 1] }],
  ['Flatten', RESHAPING],
  ['Reshape', RESHAPING],
  ['Squeeze', RESHAPING],
  ['Unsqueeze', RESHAPING],
  ['Identity', RESHAPING],
])

export interface PathParameter {
  tensor: string
  node: GraphNode
}

export interface ForwardPath {
  /** Nodes between the stem input and the logits that pass a gradient on, in topological order. */
  nodes: GraphNode[]
  /** Tensors that take a gradient: activations on the path (not the stem input) and parameters. */
  takesGradient: Set<string>
  activations: Set<string>
  parameters: PathParameter[]
}

/**
 * Walks back from the logits through the slots gradients flow into, collecting the nodes, the
 * activations and the parameters (float tensors not computed from the image) on the way.
 */
export function findForwardPath(
  analysis: ModelAnalysis,
  builder: GraphBuilder,
  logits: string,
): ForwardPath {
  const { ir, preamble, inference } = analysis
  const activations = activationTensors(ir, preamble.stemInput, inference.constants)
  const visited = new Map<number, GraphNode>()
  const pending = [logits]
  for (let tensor = pending.pop(); tensor !== undefined; tensor = pending.pop()) {
    const producer = ir.producers.get(tensor)
    if (producer === undefined || visited.has(producer.index)) continue
    const rule = slotRuleFor(analysis, producer)
    visited.set(producer.index, producer)
    for (const slot of rule.slots) {
      const input = producer.inputs[slot]
      if (input !== undefined && activations.has(input) && input !== preamble.stemInput) {
        pending.push(input)
      }
    }
  }
  const nodes = [...visited.values()].sort((a, b) => a.index - b.index)
  const parameters = findParameters(nodes, activations, builder)
  const onPath = nodes.flatMap((node) => node.outputs.filter((name) => activations.has(name)))
  const takesGradient = new Set([...onPath, ...parameters.map((p) => p.tensor)])
  return { nodes, takesGradient, activations, parameters }
}

function slotRuleFor(analysis: ModelAnalysis, node: GraphNode): SlotRule {
  const rule = node.domain === '' || node.domain === 'ai.onnx' ? SLOT_RULES.get(node.opType) : null
  if (rule) return rule
  const supported = [...SLOT_RULES.keys()].join(', ')
  const op = node.domain === '' ? node.opType : `${node.domain}::${node.opType}`
  throw new SurgeryError(
    'INVALID_ARGUMENT',
    `Gradients are not available for ${analysis.loaded.fileName}: node '${node.name}' is a ${op}, which the backward graph does not support (supported: ${supported}).`,
  )
}

function findParameters(
  nodes: readonly GraphNode[],
  activations: ReadonlySet<string>,
  builder: GraphBuilder,
): PathParameter[] {
  const found = new Map<string, PathParameter>()
  for (const node of nodes) {
    for (const slot of SLOT_RULES.get(node.opType)?.parameterSlots ?? []) {
      const tensor = node.inputs[slot]
      if (tensor === undefined || tensor === '' || activations.has(tensor) || found.has(tensor))
        continue
      if (inferElemType(builder.graph, tensor) === DataType.FLOAT)
        found.set(tensor, { tensor, node })
    }
  }
  return [...found.values()]
}
