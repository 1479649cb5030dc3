// Finds stem, residual blocks and classifier by walking the graph's topology: a residual Add
// (two activation inputs) closes a block, and the Relu after it is the block's output. Node
// names are never needed here; layer-keys.ts reads them afterwards.

import { ModelError } from './errors.ts'
import type { GraphIR, GraphNode } from './graph.ts'

export interface BlockStructure {
  input: string
  /** The Relu after the residual Add (or the Add itself when no Relu follows). */
  output: string
  add: GraphNode
  /** All nodes of the block in topological order: main path, downsample, Add, Relu. */
  nodes: GraphNode[]
  mainConvs: GraphNode[]
  /** Nodes on the shortcut (a projection Conv + BN); empty for an identity shortcut. */
  downsample: GraphNode[]
}

export interface HeadStructure {
  /** Pooling, flattening, the classifier and a MatMul's bias Add, in topological order. */
  nodes: GraphNode[]
  classifier: GraphNode
  /** The logits: the classifier's output, after its bias Add when it is a MatMul. */
  output: string
  /** The pooled-features tensor the classifier reads. */
  pooled: string
  softmax: GraphNode | null
}

export interface ResNetStructure {
  stem: { nodes: GraphNode[]; output: string; convs: GraphNode[]; hasMaxPool: boolean }
  blocks: BlockStructure[]
  head: HeadStructure
}

export function notAResNet(fileName: string, reason: string): ModelError {
  return new ModelError(
    'NOT_IMAGE_CLASSIFIER',
    `${fileName} is not a ResNet image classifier: ${reason}.`,
  )
}

/** Tensors computed from the image (folded shape arithmetic excluded). */
export function activationTensors(
  ir: GraphIR,
  stemInput: string,
  constants: ReadonlyMap<string, unknown>,
): Set<string> {
  const active = new Set([stemInput])
  for (const node of ir.nodes) {
    if (!node.inputs.some((name) => active.has(name))) continue
    node.outputs
      .filter((name) => name !== '' && !constants.has(name))
      .forEach((name) => active.add(name))
  }
  return active
}

interface Walk {
  ir: GraphIR
  active: ReadonlySet<string>
  fileName: string
}

function dataInputs(walk: Walk, node: GraphNode): string[] {
  return node.inputs.filter((name) => walk.active.has(name))
}

function ancestors(walk: Walk, tensor: string): Set<string> {
  const seen = new Set([tensor])
  const stack = [tensor]
  for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
    const producer = walk.ir.producers.get(name)
    for (const input of producer ? dataInputs(walk, producer) : []) {
      if (seen.has(input)) continue
      seen.add(input)
      stack.push(input)
    }
  }
  return seen
}

function latestCommonAncestor(walk: Walk, a: string, b: string): string | undefined {
  const fromB = ancestors(walk, b)
  const shared = [...ancestors(walk, a)].filter((name) => fromB.has(name))
  const position = (name: string): number => walk.ir.producers.get(name)?.index ?? -1
  return shared.sort((x, y) => position(y) - position(x))[0]
}

/** Nodes between `from` (exclusive) and `to` (inclusive), in topological order. */
function nodesBetween(walk: Walk, from: string, to: string): GraphNode[] {
  const found = new Map<number, GraphNode>()
  const stack = [to]
  for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
    if (name === from) continue
    const producer = walk.ir.producers.get(name)
    if (!producer || !walk.active.has(name)) {
      throw notAResNet(walk.fileName, `'${to}' does not depend on '${from}' alone`)
    }
    if (found.has(producer.index)) continue
    found.set(producer.index, producer)
    stack.push(...dataInputs(walk, producer))
  }
  return [...found.values()].sort((x, y) => x.index - y.index)
}

function residualAdds(walk: Walk): GraphNode[] {
  return walk.ir.nodes.filter(
    (node) => node.opType === 'Add' && new Set(dataInputs(walk, node)).size === 2,
  )
}

function blockOutput(walk: Walk, add: GraphNode): string {
  const sum = add.outputs[0] ?? ''
  const consumers = walk.ir.consumers.get(sum) ?? []
  const relu = consumers.length === 1 && consumers[0]?.opType === 'Relu' ? consumers[0] : undefined
  return relu?.outputs[0] ?? sum
}

function toBlock(walk: Walk, add: GraphNode, input: string): BlockStructure {
  const output = blockOutput(walk, add)
  const branches = dataInputs(walk, add).map((branch) =>
    branch === input ? [] : nodesBetween(walk, input, branch),
  )
  const convCount = (nodes: GraphNode[]): number => nodes.filter((n) => n.opType === 'Conv').length
  const [main = [], shortcut = []] = [...branches].sort((x, y) => convCount(y) - convCount(x))
  return {
    input,
    output,
    add,
    nodes: nodesBetween(walk, input, output),
    mainConvs: main.filter((node) => node.opType === 'Conv'),
    downsample: shortcut,
  }
}

function findBlocks(walk: Walk): BlockStructure[] {
  const blocks: BlockStructure[] = []
  for (const add of residualAdds(walk)) {
    const [a = '', b = ''] = dataInputs(walk, add)
    const previous = blocks.at(-1)?.output
    const input = previous ?? latestCommonAncestor(walk, a, b)
    const followsPrevious = !previous || [a, b].every((x) => ancestors(walk, x).has(previous))
    if (!input || !followsPrevious) {
      throw notAResNet(
        walk.fileName,
        `the residual Add '${add.name}' does not follow the previous block`,
      )
    }
    blocks.push(toBlock(walk, add, input))
  }
  return blocks
}

const CLASSIFIER_OPS = new Set(['Gemm', 'MatMul'])
const PASS_THROUGH_OPS = new Set(['Identity', 'Flatten', 'Reshape', 'Squeeze'])

function soleConsumer(walk: Walk, tensor: string): GraphNode | undefined {
  const consumers = walk.ir.consumers.get(tensor) ?? []
  return consumers.length === 1 ? consumers[0] : undefined
}

/** A MatMul classifier's bias: an Add of a constant right after it. */
function biasAdd(walk: Walk, classifier: GraphNode): GraphNode | undefined {
  const next = soleConsumer(walk, classifier.outputs[0] ?? '')
  return next?.opType === 'Add' && dataInputs(walk, next).length === 1 ? next : undefined
}

function trailingSoftmax(walk: Walk, logits: string): GraphNode | null {
  let tensor = logits
  for (let node = soleConsumer(walk, tensor); node; node = soleConsumer(walk, tensor)) {
    if (node.opType === 'Softmax') return node
    if (!PASS_THROUGH_OPS.has(node.opType)) return null
    tensor = node.outputs[0] ?? ''
  }
  return null
}

function findHead(walk: Walk, lastOutput: string): HeadStructure {
  const downstream = new Set([lastOutput])
  const classifier = walk.ir.nodes.find((node) => {
    if (!node.inputs.some((name) => downstream.has(name))) return false
    node.outputs.forEach((name) => downstream.add(name))
    return CLASSIFIER_OPS.has(node.opType)
  })
  if (!classifier)
    throw notAResNet(walk.fileName, 'no Gemm/MatMul classifier follows the last block')
  const bias = classifier.opType === 'MatMul' ? biasAdd(walk, classifier) : undefined
  const output = (bias ?? classifier).outputs[0] ?? ''
  return {
    nodes: nodesBetween(walk, lastOutput, output),
    classifier,
    output,
    pooled: dataInputs(walk, classifier)[0] ?? '',
    softmax: trailingSoftmax(walk, output),
  }
}

/** Stem, blocks and head of a ResNet, found from the graph's topology. */
export function findResNetStructure(
  ir: GraphIR,
  stemInput: string,
  constants: ReadonlyMap<string, unknown>,
  fileName: string,
): ResNetStructure {
  const walk: Walk = { ir, active: activationTensors(ir, stemInput, constants), fileName }
  if (!ir.nodes.some((node) => node.opType === 'Conv' && walk.active.has(node.inputs[0] ?? ''))) {
    throw new ModelError(
      'NOT_IMAGE_CLASSIFIER',
      `${fileName} is not an image classifier: it has a 4-D input but no convolution on it.`,
    )
  }
  const blocks = findBlocks(walk)
  const first = blocks[0]
  const last = blocks.at(-1)
  if (!first || !last) throw notAResNet(fileName, 'it has convolutions but no residual blocks')
  const stemNodes = nodesBetween(walk, stemInput, first.input)
  return {
    stem: {
      nodes: stemNodes,
      output: first.input,
      convs: stemNodes.filter((node) => node.opType === 'Conv'),
      hasMaxPool: stemNodes.some((node) => node.opType === 'MaxPool'),
    },
    blocks,
    head: findHead(walk, last.output),
  }
}
