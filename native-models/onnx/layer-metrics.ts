// Parameters and multiply-accumulates per node, with PyTorch's conventions: parameters are what
// training updates (BN running mean/var are buffers), and only Conv/Gemm/MatMul count as MACs.

import type { GraphNode } from './graph.ts'
import type { Shape } from './shape-ops.ts'

/** Input positions holding trainable parameters, per op type. */
const PARAMETER_SLOTS: Record<string, readonly number[]> = {
  Conv: [1, 2],
  Gemm: [1, 2],
  MatMul: [0, 1],
  // scale and bias; inputs 3 and 4 are the running statistics.
  BatchNormalization: [1, 2],
  // only a MatMul classifier's bias Add ever reaches here.
  Add: [0, 1],
}

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1)

/** Tensor names of a node's parameters; `isActivation` tells weights from data. */
export function parameterTensors(
  node: GraphNode,
  isActivation: (name: string) => boolean,
): string[] {
  const slots = PARAMETER_SLOTS[node.opType] ?? []
  return slots
    .map((slot) => node.inputs[slot] ?? '')
    .filter((name) => name !== '' && !isActivation(name))
}

/** Multiply-accumulates at the inferred (batch-1) shapes. */
export function nodeMacs(node: GraphNode, shapeOf: (name: string) => Shape): number {
  const output = product(shapeOf(node.outputs[0] ?? ''))
  if (node.opType === 'Conv') {
    const [, perGroupChannels = 0, ...kernel] = shapeOf(node.inputs[1] ?? '')
    return output * perGroupChannels * product(kernel)
  }
  if (node.opType === 'Gemm') {
    const a = shapeOf(node.inputs[0] ?? '')
    const transA = node.attributes.get('transA')?.i === 1
    return output * ((transA ? a[0] : a[1]) ?? 0)
  }
  if (node.opType === 'MatMul') return output * (shapeOf(node.inputs[0] ?? '').at(-1) ?? 0)
  return 0
}

export interface LayerFigures {
  params: number
  macs: number
}

/**
 * Sums a layer's parameters and MACs. `counted` is shared across layers so that a tensor read by
 * several nodes (tied or Identity-shared weights) counts once, for the first layer that reads it.
 */
export function layerFigures(
  nodes: readonly GraphNode[],
  shapeOf: (name: string) => Shape,
  isActivation: (name: string) => boolean,
  counted: Set<string>,
): LayerFigures {
  let params = 0
  let macs = 0
  for (const node of nodes) {
    macs += nodeMacs(node, shapeOf)
    for (const name of parameterTensors(node, isActivation)) {
      if (counted.has(name)) continue
      counted.add(name)
      params += product(shapeOf(name))
    }
  }
  return { params, macs }
}
