import type { ActivationStatsResult } from '../../../../electron/api/contract/index.ts'
import type { StructureOverlay } from '../analysis-ui.ts'
import type { LayerValues } from '../../composables/layer-metrics.ts'

export type ActivationMeasure = 'zeroFraction' | 'mean' | 'std' | 'maxAbs'

export const ACTIVATION_MEASURES: Record<ActivationMeasure, string> = {
  zeroFraction: 'Zero fraction',
  mean: 'Mean activation',
  std: 'Activation std',
  maxAbs: 'Max |activation|',
}

function average(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
}

/**
 * One number per tap from per-channel statistics: the channel average (max for maxAbs). Block
 * outputs follow a ReLU, so their mean is also their mean |x|.
 */
export function activationByLayer(
  result: ActivationStatsResult,
  measure: ActivationMeasure,
): LayerValues {
  const values: LayerValues = {}
  for (const tap of result.taps) {
    const channels = tap[measure]
    values[tap.key] = measure === 'maxAbs' ? Math.max(...channels) : average(channels)
  }
  return values
}

/** Colours the checkpoint page's structure diagram by one measure of a stored result. */
export const activationOverlay: StructureOverlay = {
  id: 'act',
  kind: 'activation-stats',
  measures: ACTIVATION_MEASURES,
  byLayer: (payload, measure) =>
    activationByLayer(payload as ActivationStatsResult, measure as ActivationMeasure),
  format: (measure) => (measure === 'zeroFraction' ? (v) => `${(v * 100).toFixed(1)}%` : null),
  hint: 'Activation statistics of this checkpoint can colour the diagram once computed.',
}
