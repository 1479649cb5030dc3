import { layerKeyOfParameterName } from '@analysis/shared/parameter-names.ts'
import type { LayerSummary, MetricSeries } from '../../../electron/api/contract/index.ts'

/** Values per layer key ('stem', 'layer3.4', 'fc'); a key without a value is drawn as n/a. */
export type LayerValues = Record<string, number>

const GRAD_PREFIX = 'grad_norms/'

/**
 * Per-layer gradient L2 norm at one epoch from the logged per-parameter norms: the norm of the
 * layer's whole gradient, √(Σ‖g_p‖²) over its parameters (the logged norms are epoch means, so
 * this is the norm of the mean-norm vector, not a per-step quantity).
 */
export function gradientNormByLayer(metrics: MetricSeries[], epoch: number): LayerValues {
  const squares: Record<string, number> = {}
  for (const series of metrics) {
    if (!series.name.startsWith(GRAD_PREFIX)) continue
    const key = layerKeyOfParameterName(series.name.slice(GRAD_PREFIX.length))
    const point = series.points.findLast((p) => p.epoch === epoch)
    if (key === null || !point || !Number.isFinite(point.value)) continue
    squares[key] = (squares[key] ?? 0) + point.value ** 2
  }
  return Object.fromEntries(Object.entries(squares).map(([key, sum]) => [key, Math.sqrt(sum)]))
}

/** Every epoch × layer of gradient norms, for the run's per-layer view. */
export function gradientNormTable(metrics: MetricSeries[]): {
  epochs: number[]
  layers: string[]
  values: LayerValues[]
} {
  const epochs = [
    ...new Set(
      metrics
        .filter((m) => m.name.startsWith(GRAD_PREFIX))
        .flatMap((m) => m.points.map((p) => p.epoch)),
    ),
  ].sort((a, b) => a - b)
  const values = epochs.map((epoch) => gradientNormByLayer(metrics, epoch))
  const layers = [...new Set(values.flatMap((v) => Object.keys(v)))].sort(compareLayerKeys)
  return { epochs, layers, values }
}

/** 'stem' first, blocks by stage then index, 'fc' last. */
export function compareLayerKeys(a: string, b: string): number {
  const rank = (key: string): number[] => {
    if (key === 'stem') return [0, 0, 0]
    const block = /^layer(\d+)\.(\d+)$/.exec(key)
    if (block) return [1, Number(block[1]), Number(block[2])]
    return [2, 0, 0]
  }
  const [ra, rb] = [rank(a), rank(b)]
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i]
  return a.localeCompare(b)
}

export function structuralByLayer(layers: LayerSummary[], field: 'params' | 'macs'): LayerValues {
  return Object.fromEntries(layers.map((layer) => [layer.key, layer[field]]))
}
