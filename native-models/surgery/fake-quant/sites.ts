// The activations AC-GC compresses (papers.md §4.1): the ones the backward pass keeps, i.e. the
// inputs of convolutions (CNV) and of BatchNorms (BN). A tensor that also feeds a residual Add is
// still a conv input: the Add's forward value is not a stored activation.

import { attributeFloat, attributeInts } from '../../onnx/graph.ts'
import type { GraphNode } from '../../onnx/graph.ts'
import type { ModelAnalysis } from '../../onnx/model-analysis.ts'
import { modelParameters } from '../../onnx/parameter-keys.ts'
import { activationTensors } from '../../onnx/resnet-structure.ts'
import { SurgeryError } from '../errors.ts'

/** A convolution reading a conv-input site: what AC-GC's bound needs of it. */
export interface SiteConv {
  nodeName: string
  /** 'layer1.0.conv1'; `<block key>.<node name>` when the node carries no module scope. */
  layerKey: string
  /** Kernel R×S. */
  kernel: [number, number]
  /** [sy, sx] */
  strides: [number, number]
  /** T² = sx·sy. */
  strideProduct: number
  weight: string
  output: string
}

/** The BatchNorm reading a bn-input site. */
export interface SiteBatchNorm {
  nodeName: string
  /** 'layer1.0.bn1'; `<block key>.<node name>` when the node carries no module scope. */
  layerKey: string
  /** γ */
  scale: string
  variance: string
  epsilon: number
  output: string
}

interface SiteBase {
  /** 'conv-input:layer1.0.conv1' (the first reader's key), 'bn-input:layer1.0.bn1'. */
  id: string
  tensor: string
  /** The block of the first reader: 'stem', 'layer1.0', … */
  blockKey: string
  channels: number
  /** Spatial size at the model's input size. */
  height: number
  width: number
}

export interface ConvInputSite extends SiteBase {
  kind: 'conv-input'
  /** In graph order. */
  convs: SiteConv[]
}

export interface BatchNormInputSite extends SiteBase {
  kind: 'bn-input'
  batchNorm: SiteBatchNorm
}

export type CompressionSite = ConvInputSite | BatchNormInputSite

interface NodeKeys {
  layerKey: string
  blockKey: string
}

/**
 * Every activation AC-GC would compress, in graph order: tensors whose consumers other than Add
 * nodes are all convolutions reading it as their data input (the image input excluded), and
 * tensors whose only consumer is a BatchNorm (none in a BN-folded export).
 * @example findCompressionSites(analysis)[0]
 * // { id: 'conv-input:layer1.0.conv1', kind: 'conv-input', tensor: '/maxpool/MaxPool_output_0', … }
 */
export function findCompressionSites(analysis: ModelAnalysis): CompressionSite[] {
  const { ir, preamble, inference } = analysis
  const active = activationTensors(ir, preamble.stemInput, inference.constants)
  const keys = nodeKeysOf(analysis)
  const sites: CompressionSite[] = []
  for (const node of ir.nodes) {
    for (const tensor of node.outputs) {
      if (!active.has(tensor) || tensor === preamble.stemInput) continue
      const site = siteOf(analysis, keys, tensor)
      if (site !== null) sites.push(site)
    }
  }
  return sites
}

function siteOf(
  analysis: ModelAnalysis,
  keys: ReadonlyMap<string, NodeKeys>,
  tensor: string,
): CompressionSite | null {
  const consumers = analysis.ir.consumers.get(tensor) ?? []
  const [only] = consumers
  if (
    consumers.length === 1 &&
    only?.opType === 'BatchNormalization' &&
    only.inputs[0] === tensor
  ) {
    const batchNorm = describeBatchNorm(only, keyOf(keys, only))
    return {
      id: `bn-input:${batchNorm.layerKey}`,
      kind: 'bn-input',
      tensor,
      blockKey: keyOf(keys, only).blockKey,
      ...siteShape(analysis, tensor),
      batchNorm,
    }
  }
  const readers = consumers.filter((node) => node.opType !== 'Add')
  const isConvInput = readers.every((node) => node.opType === 'Conv' && node.inputs[0] === tensor)
  const [first] = readers
  if (first === undefined || !isConvInput) return null
  const convs = readers.map((node) => describeConv(analysis, node, keyOf(keys, node)))
  return {
    id: `conv-input:${convs[0]?.layerKey ?? first.name}`,
    kind: 'conv-input',
    tensor,
    blockKey: keyOf(keys, first).blockKey,
    ...siteShape(analysis, tensor),
    convs,
  }
}

function describeConv(analysis: ModelAnalysis, node: GraphNode, keys: NodeKeys): SiteConv {
  const weight = node.inputs[1] ?? ''
  const weightShape = analysis.inference.shapes.get(weight) ?? []
  const kernelShape = attributeInts(node, 'kernel_shape') ?? weightShape.slice(2)
  const [sy = 1, sx = 1] = attributeInts(node, 'strides') ?? []
  return {
    nodeName: node.name,
    layerKey: keys.layerKey,
    kernel: [kernelShape[0] ?? 1, kernelShape[1] ?? 1],
    strides: [sy, sx],
    strideProduct: sx * sy,
    weight,
    output: node.outputs[0] ?? '',
  }
}

function describeBatchNorm(node: GraphNode, keys: NodeKeys): SiteBatchNorm {
  return {
    nodeName: node.name,
    layerKey: keys.layerKey,
    scale: node.inputs[1] ?? '',
    variance: node.inputs[4] ?? '',
    epsilon: attributeFloat(node, 'epsilon', 1e-5),
    output: node.outputs[0] ?? '',
  }
}

/** [N, C, H, W] at batch 1; anything else is refused, naming the tensor. */
export function siteShape(
  analysis: ModelAnalysis,
  tensor: string,
): { channels: number; height: number; width: number } {
  const shape = analysis.inference.shapes.get(tensor)
  if (shape?.length !== 4) {
    throw new SurgeryError(
      'INVALID_ARGUMENT',
      `Activation '${tensor}' has shape [${shape?.join(', ') ?? 'unknown'}]; fake quantization needs [N, C, H, W].`,
    )
  }
  const [, channels = 0, height = 0, width = 0] = shape
  return { channels, height, width }
}

/** Layer and block keys of every Conv and BatchNorm node, from its weight (or γ) parameter. */
function nodeKeysOf(analysis: ModelAnalysis): Map<string, NodeKeys> {
  const keys = new Map<string, NodeKeys>()
  for (const parameter of modelParameters(analysis).parameters) {
    if (parameter.role !== 'weight' && parameter.role !== 'bn-scale') continue
    const scoped = parameter.parameterKey?.replace(/\.weight$/, '')
    keys.set(parameter.nodeName, {
      layerKey: scoped ?? `${parameter.layerKey}.${parameter.nodeName}`,
      blockKey: parameter.layerKey,
    })
  }
  return keys
}

/** A node whose parameter another node read first (shared weights) is keyed by its name. */
function keyOf(keys: ReadonlyMap<string, NodeKeys>, node: GraphNode): NodeKeys {
  return keys.get(node.name) ?? { layerKey: node.name, blockKey: 'unknown' }
}
