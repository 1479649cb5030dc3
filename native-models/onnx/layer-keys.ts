// Stable layer keys ('stem', 'layer3.4', 'fc'). torch.onnx names nodes after module scopes
// ('/layer1/layer1.0/conv1/Conv'); keys are read from there when every block agrees with its
// position, and otherwise derived from the position alone so analyses still line up.

import type { GraphNode } from './graph.ts'

export type KeySource = 'scope' | 'position'

export interface BlockKeys {
  /** Keys per stage, per block. */
  keys: string[][]
  source: KeySource
  warning: string | null
}

const BLOCK_SCOPE = /(?:^|\/)(layer\d+\.\d+)(?:\/|$)/
const STEM_SCOPE = /(?:^|\/)(conv1|bn1|relu|maxpool|stem)(?:\/|$)/
const CLASSIFIER_SCOPE = /(?:^|\/)(fc|classifier|head)(?:\/|$)/

/** The block scope most of a block's named nodes carry, or null. */
export function scopeBlockKey(nodes: readonly GraphNode[]): string | null {
  const counts = new Map<string, number>()
  for (const node of nodes) {
    const key = node.isNamed ? BLOCK_SCOPE.exec(node.name)?.[1] : undefined
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1])
  return ranked[0]?.[0] ?? null
}

export function positionKey(stage: number, index: number): string {
  return `layer${stage}.${index}`
}

/** Keys for blocks grouped by stage (`stages[s][b]` holds each block's nodes). */
export function assignBlockKeys(stages: readonly (readonly GraphNode[])[][]): BlockKeys {
  const keys = stages.map((blocks, s) => blocks.map((_, b) => positionKey(s + 1, b)))
  const scoped = stages.map((blocks) => blocks.map(scopeBlockKey))
  const flatScoped = scoped.flat()
  if (flatScoped.every((key) => key === null)) return { keys, source: 'position', warning: null }
  const mismatch = flatScoped.findIndex((key, i) => key !== keys.flat()[i])
  if (mismatch === -1) return { keys, source: 'scope', warning: null }
  return {
    keys,
    source: 'position',
    warning: `Node scopes do not match the block layout (block ${keys.flat()[mismatch]} is named '${flatScoped[mismatch] ?? 'nothing'}'); layer keys follow block positions.`,
  }
}

export function stemKeySource(nodes: readonly GraphNode[]): KeySource {
  return nodes.some((node) => node.isNamed && STEM_SCOPE.test(node.name)) ? 'scope' : 'position'
}

export function classifierKeySource(classifier: GraphNode): KeySource {
  return classifier.isNamed && CLASSIFIER_SCOPE.test(classifier.name) ? 'scope' : 'position'
}
