import type { GradientsResult } from '../../../../electron/api/contract/index.ts'
import type { LayerValues } from '../../composables/layer-metrics.ts'
import type { StructureOverlay } from '../analysis-ui.ts'

export type GradientOverlayMeasure = 'norm' | 'weightNorm' | 'blockOutput'

const MEASURES: Record<GradientOverlayMeasure, string> = {
  norm: 'Gradient norm ‖∂L/∂θ‖ (computed, inference BN)',
  weightNorm: 'Weight gradient norm ‖∂L/∂W‖ (computed, inference BN)',
  blockOutput: 'Block-output gradient ‖∂L/∂y‖ (computed, inference BN)',
}

/** The mean over batches of one computed norm per layer key. */
export function gradientByLayer(
  result: GradientsResult,
  measure: GradientOverlayMeasure,
): LayerValues {
  if (measure === 'blockOutput')
    return Object.fromEntries(result.blockOutputs.map((b) => [b.layerKey, b.norm.mean]))
  return Object.fromEntries(result.layers.map((l) => [l.layerKey, l[measure].mean]))
}

/** Colours the checkpoint page's structure diagram by the computed gradient norms. */
export const gradientOverlay: StructureOverlay = {
  id: 'grad-computed',
  kind: 'gradients',
  measures: MEASURES,
  byLayer: (payload, measure) =>
    gradientByLayer(payload as GradientsResult, measure as GradientOverlayMeasure),
  hint: 'Gradient norms computed at this checkpoint can colour the diagram once computed.',
}
