// Every parameter tensor of a model under the names a researcher knows. torch.onnx names nodes
// after module scopes ('/layer1/layer1.0/conv1/Conv') even when it renames the initializers of a
// BN-folded export ('onnx::Conv_497', measured-facts F15), so names come from the node that reads
// a tensor, never from the tensor.

import { layerKeyOfParameterName } from '../analysis/shared/parameter-names.ts'
import type { GraphIR, GraphNode } from './graph.ts'
import { parameterTensors } from './layer-metrics.ts'
import type { ModelAnalysis } from './model-analysis.ts'
import { activationTensors } from './resnet-structure.ts'

export { layerKeyOfParameterName }

export type ParameterRole = 'weight' | 'bias' | 'bn-scale' | 'bn-bias'

export interface ModelParameter {
  /**
   * The tensor the node reads: an initializer ('onnx::Conv_497', 'layer1.0.conv1.weight'), a
   * graph input (export_params=False), or an Identity of another initializer, as torch writes a
   * parameter equal in value to one already written ('layer1.0.downsample.1.bias').
   */
  initializer: string
  /** The initializer (or graph input) holding the values: `initializer` unless it is an alias. */
  valuesFrom: string
  nodeName: string
  /** Conv, BatchNormalization, Gemm, MatMul, Add */
  opType: string
  role: ParameterRole
  /** torchvision-style name from the node scope: '/layer1/layer1.0/conv1/Conv' → 'layer1.0.conv1.weight'; null when the node carries no scope. */
  parameterKey: string | null
  /** 'stem' | 'layer<s>.<b>' | 'fc' from the model's structure (analysis.keys), never null for a ResNet. */
  layerKey: string
  shape: number[]
}

/**
 * Every parameter tensor of an analysed ResNet, in graph order, each once (for the first node that
 * reads it), with its scope name and structural layer key. `unmapped` lists the tensors whose
 * node carries no module scope (unnamed or arbitrarily named nodes).
 * @example modelParameters(analyzeModel(await loadModel('epoch_3.onnx'))).parameters[0]
 * // { initializer: 'onnx::Conv_497', parameterKey: 'conv1.weight', layerKey: 'stem', … }
 */
export function modelParameters(analysis: ModelAnalysis): {
  parameters: ModelParameter[]
  unmapped: string[]
} {
  const active = activationTensors(
    analysis.ir,
    analysis.preamble.stemInput,
    analysis.inference.constants,
  )
  const isActivation = (name: string): boolean => active.has(name)
  const seen = new Set<string>()
  const parameters: ModelParameter[] = []
  for (const { layerKey, nodes } of structuralLayers(analysis)) {
    for (const node of nodes) {
      for (const tensor of parameterTensors(node, isActivation)) {
        if (seen.has(tensor)) continue
        seen.add(tensor)
        parameters.push(describeParameter(analysis, node, tensor, layerKey))
      }
    }
  }
  const unmapped = parameters.filter((p) => p.parameterKey === null).map((p) => p.initializer)
  return { parameters, unmapped }
}

/**
 * The module path in a torch.onnx node name: '/layer1/layer1.0/downsample/downsample.0/Conv' →
 * 'layer1.0.downsample.0' (a Sequential's child scope repeats its parent's name); null for a name
 * without a scope ('Conv_12', '/Flatten').
 */
export function modulePathOfNodeName(nodeName: string): string | null {
  if (!nodeName.startsWith('/')) return null
  const scopes = nodeName.split('/').slice(1, -1)
  if (scopes.length === 0 || scopes.some((scope) => scope === '')) return null
  const parts: string[] = []
  scopes.forEach((scope, i) => {
    const parent = scopes[i - 1]
    const isChild = parent !== undefined && scope.startsWith(`${parent}.`)
    parts.push(isChild ? scope.slice(parent.length + 1) : scope)
  })
  return parts.join('.')
}

function structuralLayers(analysis: ModelAnalysis): { layerKey: string; nodes: GraphNode[] }[] {
  const { structure, stages, keys } = analysis
  const blocks = stages.flatMap((blocksOfStage, s) =>
    blocksOfStage.map((block, b) => ({
      layerKey: keys.keys[s]?.[b] ?? `layer${s + 1}.${b}`,
      nodes: block.nodes,
    })),
  )
  return [
    { layerKey: 'stem', nodes: structure.stem.nodes },
    ...blocks,
    { layerKey: 'fc', nodes: structure.head.nodes },
  ]
}

function describeParameter(
  analysis: ModelAnalysis,
  node: GraphNode,
  tensor: string,
  layerKey: string,
): ModelParameter {
  const role = roleOf(node, tensor)
  const modulePath = node.isNamed ? modulePathOfNodeName(node.name) : null
  const suffix = role === 'weight' || role === 'bn-scale' ? 'weight' : 'bias'
  const valuesFrom = identitySource(analysis.ir, tensor)
  return {
    initializer: tensor,
    valuesFrom,
    nodeName: node.name,
    opType: node.opType,
    role,
    parameterKey: modulePath === null ? null : `${modulePath}.${suffix}`,
    layerKey,
    shape: shapeOf(analysis, tensor, valuesFrom),
  }
}

function roleOf(node: GraphNode, tensor: string): ParameterRole {
  const slot = node.inputs.indexOf(tensor)
  switch (node.opType) {
    case 'BatchNormalization':
      return slot === 1 ? 'bn-scale' : 'bn-bias'
    case 'MatMul':
      return 'weight'
    case 'Add':
      return 'bias'
    default:
      return slot === 1 ? 'weight' : 'bias'
  }
}

/** Follows Identity nodes back to the tensor they copy. */
function identitySource(ir: GraphIR, tensor: string): string {
  let name = tensor
  for (let producer = ir.producers.get(name); producer?.opType === 'Identity';) {
    name = producer.inputs[0] ?? name
    producer = ir.producers.get(name)
  }
  return name
}

function shapeOf(analysis: ModelAnalysis, tensor: string, valuesFrom: string): number[] {
  const inferred = analysis.inference.shapes.get(tensor)
  if (inferred) return [...inferred]
  return (analysis.ir.initializers.get(valuesFrom)?.dims ?? []).map(Number)
}
