import type { EChartsOption, HeatmapSeriesOption } from 'echarts'
import { describe, expect, it } from 'vitest'
import type { CompressionResult } from '../../../electron/api/contract/index.ts'
import { chartOption } from '../../../renderer/src/charts/options/chart-option.ts'
import type { LabeledResult } from '../../../renderer/src/charts/options/chart-data.ts'
import { compressionResult } from '../../fixtures/data/compression-result.ts'
import { data, spec } from './results.ts'

const labeled = (id: number, label: string, payload: CompressionResult): LabeledResult => ({
  id,
  kind: 'compression',
  label,
  payload,
})

/** The fixture with every max |x| multiplied by `scale` and every zero fraction by `zeros`. */
function scaled(scale: number, zeros: number, options: { acgc?: boolean } = {}) {
  const base = compressionResult(options)
  return {
    ...base,
    statistics: base.statistics.map((s) => ({
      ...s,
      maxAbs: s.maxAbs.map((m) => m * scale),
      zeroFraction: s.zeroFraction.map((z) => z * zeros),
    })),
  }
}

// Sites in depth order: stem.conv1 (max |x| [2], zeros [0], AC-GC [8]), layer1.0.bn1
// ([1, 3], [0, 0], [3, 5]), layer1.0.conv2 ([4, 5], [0.5, 0.3], [6, 6]).
const EPOCH1 = labeled(1, 'seed0 · epoch 1', scaled(1, 1))
const EPOCH2 = labeled(2, 'seed0 · epoch 2', scaled(10, 0.5, { acgc: false }))
const OTHER = labeled(3, 'seed1 · epoch 1', scaled(100, 2))
const POINTS = JSON.stringify([
  { resultId: 2, run: 'seed0', epoch: 2 },
  { resultId: 1, run: 'seed0', epoch: 1 },
  { resultId: 3, run: 'seed1', epoch: 1 },
])

const trajectory = (options: Record<string, string | boolean> = {}) =>
  chartOption(
    spec('compression-trajectory', { options: { points: POINTS, ...options } }),
    data([EPOCH2, EPOCH1, OTHER]),
    'light',
  )
const heat = (o: EChartsOption) => o.series as HeatmapSeriesOption[]
const present = (o: EChartsOption) => heat(o).filter((s) => s.name !== 'n/a')
const missing = (o: EChartsOption) => heat(o).filter((s) => s.name === 'n/a')

/** [column, row, value] cells, compared to 12 digits. */
function expectCells(actual: unknown, expected: [number, number, number][]): void {
  const cells = actual as [number, number, number][]
  expect(cells.map(([c, r]) => [c, r])).toEqual(expected.map(([c, r]) => [c, r]))
  cells.forEach(([, , v], i) => expect(v).toBeCloseTo(expected[i][2], 12))
}

describe('compression-trajectory chart', () => {
  it('lays out a site × epoch strip per run of log10 mean max |x|, sites by depth, epochs ascending', () => {
    const o = trajectory()
    const yAxes = o.yAxis as { data: string[]; name: string }[]
    expect(yAxes[0].data).toEqual(['stem.conv1', 'layer1.0.bn1', 'layer1.0.conv2'])
    expect(yAxes[0].name).toBe('site')
    expect((o.xAxis as { data: string[]; name: string }[])[0]).toMatchObject({
      data: ['1', '2'],
      name: 'epoch',
    })
    const [seed0, seed1] = present(o)
    expect([seed0.name, seed1.name]).toEqual(['seed0', 'seed1'])
    // Channel means 2, (1 + 3) / 2 and (4 + 5) / 2 at epoch 1, ten times those at epoch 2.
    expectCells(seed0.data, [
      [0, 0, Math.log10(2)],
      [1, 0, Math.log10(20)],
      [0, 1, Math.log10(2)],
      [1, 1, Math.log10(20)],
      [0, 2, Math.log10(4.5)],
      [1, 2, Math.log10(45)],
    ])
    // seed1 has epoch 1 only: its epoch-2 column is blank.
    expectCells(seed1.data, [
      [0, 0, Math.log10(200)],
      [0, 1, Math.log10(200)],
      [0, 2, Math.log10(450)],
    ])
    expect(missing(o)[1].data).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 2, 0],
    ])
    const [scale] = o.visualMap as { min: number; max: number; text: string[] }[]
    expect(scale.min).toBeCloseTo(Math.log10(2), 12)
    expect(scale.max).toBeCloseTo(Math.log10(450), 12)
    expect(scale.text[1]).toMatch(/^log10 mean max \|x\|/)
  })

  it('draws max |x| on a linear scale when options.log is false', () => {
    const [seed0] = present(trajectory({ log: false }))
    expectCells(seed0.data, [
      [0, 0, 2],
      [1, 0, 20],
      [0, 1, 2],
      [1, 1, 20],
      [0, 2, 4.5],
      [1, 2, 45],
    ])
  })

  it('draws the zero fraction, mean over channels, on a linear scale', () => {
    const o = trajectory({ measure: 'zero-fraction' })
    const [seed0, seed1] = present(o)
    // layer1.0.conv2: (0.5 + 0.3) / 2 = 0.4, halved at epoch 2; exact zeros stay 0.
    expectCells(seed0.data, [
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 0],
      [0, 2, 0.4],
      [1, 2, 0.2],
    ])
    expectCells(seed1.data, [
      [0, 0, 0],
      [0, 1, 0],
      [0, 2, 0.8],
    ])
    expect((o.visualMap as { text: string[] }[])[0].text[1]).toMatch(/^zero fraction/)
  })

  it('draws AC-GC’s mean bits per site, blank where a checkpoint has no AC-GC choice', () => {
    const o = trajectory({ measure: 'acgc-bits' })
    const [seed0] = present(o)
    // Epoch 2 was computed without AC-GC: only epoch 1's widths 8, (3 + 5) / 2 and 6.
    expectCells(seed0.data, [
      [0, 0, 8],
      [0, 1, 4],
      [0, 2, 6],
    ])
    expect(missing(o)[0].data).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 2, 0],
    ])
  })

  it('leaves a site blank in the runs whose export has no such site (BatchNorm folded)', () => {
    const kept = compressionResult()
    const folded = {
      ...kept,
      sites: kept.sites.filter((s) => s.kind === 'conv-input'),
      statistics: kept.statistics.filter((s) => !s.siteId.startsWith('bn-input')),
    }
    const points = JSON.stringify([
      { resultId: 1, run: 'kept', epoch: 1 },
      { resultId: 4, run: 'folded', epoch: 1 },
    ])
    const o = chartOption(
      spec('compression-trajectory', { options: { points, measure: 'zero-fraction' } }),
      data([EPOCH1, labeled(4, 'folded · epoch 1', folded)]),
      'light',
    )
    expect((o.yAxis as { data: string[] }[])[1].data).toEqual([
      'stem.conv1',
      'layer1.0.bn1',
      'layer1.0.conv2',
    ])
    expect(missing(o).map((s) => s.data)).toEqual([[], [[0, 1, 0]]])
  })

  it('refuses AC-GC bits when no result has them, and an unknown measure', () => {
    const without = labeled(5, 'plain', compressionResult({ acgc: false }))
    expect(() =>
      chartOption(
        spec('compression-trajectory', { options: { measure: 'acgc-bits' } }),
        data([without]),
        'light',
      ),
    ).toThrow("None of results 5 has AC-GC's bit choice: run them with AC-GC.")
    expect(() => trajectory({ measure: 'bits' })).toThrow(
      "Unknown compression trajectory measure 'bits': use max-abs, zero-fraction, acgc-bits.",
    )
  })

  it('refuses a result of another analysis', () => {
    const evaluation = { ...EPOCH1, kind: 'evaluate' as const }
    expect(() => chartOption(spec('compression-trajectory'), data([evaluation]), 'light')).toThrow(
      "a 'compression-trajectory' chart draws 'compression' results",
    )
  })
})
