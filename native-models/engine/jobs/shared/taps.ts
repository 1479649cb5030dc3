import type { ModelSummary } from '../../../../electron/api/contract/index.ts'
import type { GraphProto } from '../../../onnx/proto.ts'
import type { ActivationTap } from '../../../surgery/activation-graph.ts'
import { SurgeryError } from '../../../surgery/errors.ts'

/** The key the pooled features (the classifier's input) are stored under. */
export const POOLED_TAP_KEY = 'pooled'

/**
 * The tensors behind the requested layer keys, in request order without repeats; null means
 * every block output and the pooled features. With the model's graph, a key may also name any
 * node (its first output is tapped) or any tensor a node outputs; such a tap keeps that name.
 */
export function resolveActivationTaps(
  summary: ModelSummary,
  keys: readonly string[] | null,
  graph?: Readonly<GraphProto>,
): ActivationTap[] {
  const known = knownTaps(summary)
  if (keys === null) {
    return [...known.values()].filter(
      (tap) => tap.key === POOLED_TAP_KEY || isBlock(summary, tap.key),
    )
  }
  if (keys.length === 0) {
    throw new SurgeryError('INVALID_ARGUMENT', 'No layer keys to tap: give at least one, or null.')
  }
  return [...new Set(keys)].map((key) => {
    const tap = known.get(key) ?? (graph === undefined ? undefined : graphTap(graph, key))
    if (tap !== undefined) return tap
    const nodes = graph === undefined ? '' : ', or the name of a node or tensor of the graph'
    throw new SurgeryError(
      'INVALID_ARGUMENT',
      `'${summary.fileName}' has no layer '${key}'; known keys: ${[...known.keys()].join(', ')}${nodes}.`,
    )
  })
}

function graphTap(graph: Readonly<GraphProto>, key: string): ActivationTap | undefined {
  const nodes = graph.node ?? []
  const named = nodes.find((node) => node.name === key)?.output?.[0]
  if (named !== undefined && named !== '') return { key, tensor: named }
  return nodes.some((node) => node.output?.includes(key)) ? { key, tensor: key } : undefined
}

function knownTaps(summary: ModelSummary): Map<string, ActivationTap> {
  const taps: ActivationTap[] = summary.layers.map((layer) => ({
    key: layer.key,
    tensor: layer.outputName,
    channels: layer.outputShape[1],
  }))
  const pooled = {
    key: POOLED_TAP_KEY,
    tensor: summary.pooledFeatures.name,
    channels: summary.pooledFeatures.size,
  }
  const fcAt = taps.findIndex((tap) => tap.key === 'fc')
  taps.splice(fcAt < 0 ? taps.length : fcAt, 0, pooled)
  return new Map(taps.map((tap) => [tap.key, tap]))
}

function isBlock(summary: ModelSummary, key: string): boolean {
  return summary.layers.some((layer) => layer.key === key && layer.kind === 'block')
}
