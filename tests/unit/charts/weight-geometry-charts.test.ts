import type {
  EChartsOption,
  HeatmapSeriesOption,
  LineSeriesOption,
  ScatterSeriesOption,
} from 'echarts'
import { describe, expect, it } from 'vitest'
import type { LayerGeometry, WeightGeometryResult } from '../../../electron/api/contract/index.ts'
import { chartOption } from '../../../renderer/src/charts/options/chart-option.ts'
import type { LabeledResult } from '../../../renderer/src/charts/options/chart-data.ts'
import { data, spec } from './results.ts'

function weight(
  key: string,
  depth: number,
  rows: number,
  columns: number,
  scale: number,
): LayerGeometry {
  const k = Math.min(rows, columns)
  return {
    initializer: `onnx::Conv_${depth}`,
    parameterKey: `${key}.weight`,
    layerKey: key.split('.').slice(0, 2).join('.'),
    depth,
    opType: 'Conv',
    shape: [rows, columns, 1, 1],
    rows,
    columns,
    frobenius: scale,
    orthogonality: 0.1 * scale,
    regularizer: 0.2 * scale,
    regularizerFloor: rows > columns ? (rows - columns) / rows ** 2 : 0,
    meanAbsCos: 0.05 * scale,
    singularValues: Array.from({ length: k }, (_, i) => scale / (i + 1)),
    stableRank: 2,
    effectiveRank: k / 2,
  }
}

function geometry(layers: LayerGeometry[]): WeightGeometryResult {
  return {
    isBnFolded: true,
    layers,
    summary: { orthogonality: 0.1, meanAbsCos: 0.05, effectiveRankRatio: 0.5 },
    timings: { grams: 1, eigen: 1, total: 2 },
  }
}

const labeled = (id: number, label: string, payload: WeightGeometryResult): LabeledResult => ({
  id,
  kind: 'weight-geometry',
  label,
  payload,
})

// fc last although listed first; layer1.0.conv3 has more rows (8) than columns (4).
const A = labeled(
  1,
  'seed0 · epoch 1',
  geometry([
    weight('fc', 2, 2, 8, 1),
    weight('conv1', 0, 4, 4, 2),
    weight('layer1.0.conv3', 1, 8, 4, 3),
  ]),
)
const B = labeled(
  2,
  'seed1 · epoch 1',
  geometry([
    weight('conv1', 0, 4, 4, 4),
    weight('layer1.0.conv3', 1, 8, 4, 5),
    weight('fc', 2, 2, 8, 6),
  ]),
)

const lines = (o: EChartsOption) => o.series as LineSeriesOption[]

describe('weight-orthogonality chart', () => {
  it('draws a line per checkpoint over the weights in depth order', () => {
    const o = chartOption(spec('weight-orthogonality'), data([A, B]), 'light')
    expect((o.xAxis as { data: string[] }).data).toEqual(['conv1', 'layer1.0.conv3', 'fc'])
    expect(lines(o).map((l) => l.name)).toEqual(['seed0 · epoch 1 (baseline)', 'seed1 · epoch 1'])
    const values = lines(o)[1].data as number[]
    values.forEach((v, i) => expect(v).toBeCloseTo([0.4, 0.5, 0.6][i], 12))
  })

  it('divides the effective rank by min(n, m) for the ratio', () => {
    const s = spec('weight-orthogonality', { options: { measure: 'effectiveRankRatio' } })
    expect(lines(chartOption(s, data([A]), 'light'))[0].data).toEqual([0.5, 0.5, 0.5])
  })

  it("draws the regularizer's floor only where a weight has more rows than columns", () => {
    const s = spec('weight-orthogonality', { options: { measure: 'regularizer' } })
    const floor = (chartOption(s, data([A]), 'light').series as ScatterSeriesOption[]).find((l) =>
      String(l.name).startsWith('floor'),
    )
    expect(floor?.type).toBe('scatter')
    expect(floor?.data).toEqual(['-', (8 - 4) / 64, '-'])
  })
})

describe('weight-spectra chart', () => {
  it('draws every weight of one checkpoint, the index normalised by min(n, m) when asked', () => {
    const s = spec('weight-spectra', { options: { normalizedIndex: true } })
    const o = chartOption(s, data([A]), 'light')
    expect(lines(o).map((l) => l.name)).toEqual(['conv1', 'layer1.0.conv3', 'fc'])
    expect(lines(o)[2].data).toEqual([
      [0.5, 1],
      [1, 0.5],
    ])
    expect((o.yAxis as { type: string }).type).toBe('log')
  })

  it('compares the chosen weight across checkpoints and names an unknown one', () => {
    const s = spec('weight-spectra', { options: { layers: 'fc' } })
    const o = chartOption(s, data([A, B]), 'light')
    expect(lines(o).map((l) => l.name)).toEqual(['seed0 · epoch 1 · fc', 'seed1 · epoch 1 · fc'])
    expect(lines(o)[1].data).toEqual([
      [1, 6],
      [2, 3],
    ])
    const bad = spec('weight-spectra', { options: { layers: 'layer9.0.conv1' } })
    expect(() => chartOption(bad, data([A]), 'light')).toThrow(/No weight 'layer9.0.conv1'/)
  })
})

describe('weight-geometry-trajectory chart', () => {
  it('lays out a weight × epoch strip per run on one scale', () => {
    const later = labeled(3, 'seed0 · epoch 2', B.payload as WeightGeometryResult)
    const points = [
      { resultId: 1, run: 'seed0', epoch: 1 },
      { resultId: 3, run: 'seed0', epoch: 2 },
    ]
    const s = spec('weight-geometry-trajectory', {
      options: { measure: 'meanAbsCos', points: JSON.stringify(points), log: false },
    })
    const o = chartOption(s, data([A, later]), 'light')
    const heat = (o.series as HeatmapSeriesOption[]).filter((x) => x.name !== 'n/a')
    expect(heat).toHaveLength(1)
    expect(heat[0].data).toContainEqual([1, 2, expect.closeTo(0.3, 12)])
    expect(heat[0].data).toContainEqual([0, 0, expect.closeTo(0.1, 12)])
  })
})
