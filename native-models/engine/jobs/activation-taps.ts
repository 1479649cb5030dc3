import type { ModelSummary } from '../../../electron/api/contract.ts'
import type { ActivationTap } from '../../surgery/activation-graph.ts'
import { SurgeryError } from '../../surgery/errors.ts'

/** The key the pooled features (the classifier's input) are stored under. */
export const POOLED_TAP_KEY = 'pooled'

/**
 * The tensors behind the requested layer keys, in request order without repeats; null means
 * every block output and the pooled features.
 */
export function resolveActivationTaps(
  summary: ModelSummary,
  keys: readonly string[] | null,
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
    const tap = known.get(key)
    if (tap !== undefined) return tap
    throw new SurgeryError(
      'INVALID_ARGUMENT',
      `'${summary.fileName}' has no layer '${key}'; known keys: ${[...known.keys()].join(', ')}.`,
    )
  })
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
