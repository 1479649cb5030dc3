import type { RunDetail } from '../../api/contract/index.ts'
import { layerKeyOfParameterName } from '../../../native-models/analysis/shared/parameter-names.ts'

const GRAD_NORMS = 'grad_norms/'

/**
 * The gradient norms training logged at one epoch, per layer: √Σ‖g_p‖² over the layer's logged
 * parameters (each parameter's points of that epoch averaged). Train-mode BatchNorm, augmented
 * images, weights moving while averaged: not the quantity computed at the checkpoint.
 */
export function loggedLayerNorms(run: RunDetail | null, epoch: number | null): Map<string, number> {
  const squares = new Map<string, number>()
  if (run === null || epoch === null) return squares
  for (const series of run.metrics) {
    if (!series.name.startsWith(GRAD_NORMS)) continue
    const layerKey = layerKeyOfParameterName(series.name.slice(GRAD_NORMS.length))
    const values = series.points.filter((p) => p.epoch === epoch).map((p) => p.value)
    if (layerKey === null || values.length === 0) continue
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    squares.set(layerKey, (squares.get(layerKey) ?? 0) + mean ** 2)
  }
  return new Map([...squares].map(([layerKey, sum]) => [layerKey, Math.sqrt(sum)]))
}

/** Whether the run logged any gradient norms. */
export function hasLoggedGradNorms(run: RunDetail | null): boolean {
  return run?.metrics.some((series) => series.name.startsWith(GRAD_NORMS)) ?? false
}
