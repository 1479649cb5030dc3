import type { WeightGeometryResult } from '../../../../electron/api/contract/index.ts'
import { geometryValue } from '../../charts/options/weight-geometry-charts.ts'
import type { GeometryMeasure } from '../../charts/options/weight-geometry-charts.ts'
import type { LayerValues } from '../../composables/layer-metrics.ts'
import type { StructureOverlay } from '../analysis-ui.ts'

const MEASURES: Partial<Record<GeometryMeasure, string>> = {
  orthogonality: 'Orthogonality ‖ŴŴᵀ−I‖²/n² (mean over the block’s weights)',
  meanAbsCos: 'Mean |cos| between filters (mean over the block’s weights)',
  effectiveRankRatio: 'Effective rank / min(n, m) (mean over the block’s weights)',
}

/** One number per layer key: the mean of a measure over the weights of that block (or stem, fc). */
export function geometryByLayer(
  result: WeightGeometryResult,
  measure: GeometryMeasure,
): LayerValues {
  const sums = new Map<string, { sum: number; count: number }>()
  for (const layer of result.layers) {
    const entry = sums.get(layer.layerKey) ?? { sum: 0, count: 0 }
    entry.sum += geometryValue(layer, measure)
    entry.count += 1
    sums.set(layer.layerKey, entry)
  }
  return Object.fromEntries([...sums].map(([key, e]) => [key, e.sum / e.count]))
}

export const geometryOverlay: StructureOverlay = {
  id: 'geometry',
  kind: 'weight-geometry',
  measures: MEASURES,
  byLayer: (payload, measure) =>
    geometryByLayer(payload as WeightGeometryResult, measure as GeometryMeasure),
  hint: 'Weight geometry of this checkpoint can colour the diagram once computed.',
}
