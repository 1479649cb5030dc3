import type {
  BarSeriesOption,
  CustomSeriesOption,
  EChartsOption,
  HeatmapSeriesOption,
  LineSeriesOption,
  ScatterSeriesOption,
} from 'echarts'
import { describe, expect, it } from 'vitest'
import type { CompressionResult } from '../../../electron/api/contract/index.ts'
import { chartOption } from '../../../renderer/src/charts/options/chart-option.ts'
import type { LabeledResult } from '../../../renderer/src/charts/options/chart-data.ts'
import { bitsAxis, depthColor } from '../../../renderer/src/charts/options/compression-sweep.ts'
import { compressionResult } from '../../fixtures/data/compression-result.ts'
import { data, spec } from './results.ts'

type AnySeries = LineSeriesOption | ScatterSeriesOption | CustomSeriesOption | BarSeriesOption

const labeled = (id: number, label: string, payload: CompressionResult): LabeledResult => ({
  id,
  kind: 'compression',
  label,
  payload,
})

const ONE = labeled(1, 'seed0 · epoch 3', compressionResult())
const series = (o: EChartsOption) => o.series as AnySeries[]
const named = (o: EChartsOption, name: string) => {
  const found = series(o).find((s) => s.name === name)
  if (!found)
    throw new Error(
      `No series '${name}' in ${series(o)
        .map((s) => s.name)
        .join(', ')}`,
    )
  return found
}
const points = (s: AnySeries) => s.data as (number | string)[][]

function expectPoints(actual: (number | string)[][], expected: (number | string)[][]): void {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((row, i) =>
    row.forEach((v, k) => {
      const want = expected[i][k]
      if (typeof want === 'number') expect(v as number).toBeCloseTo(want, 12)
      else expect(v).toBe(want)
    }),
  )
}

describe('the bits axis of the sweep', () => {
  it('spaces the swept widths evenly, b = 16 last, and places widths between them linearly', () => {
    const axis = bitsAxis([16, 2, 8, 4, 8])
    expect(axis.bits).toEqual([2, 4, 8, 16])
    expect([2, 4, 8, 16].map(axis.position)).toEqual([0, 1, 2, 3])
    // 5 lies a quarter of the way from 4 to 8; 12 half way from 8 to 16.
    expect(axis.position(5)).toBe(1.25)
    expect(axis.position(12)).toBe(2.5)
    // Beyond the ends: the width of the nearest step per column.
    expect(axis.position(20)).toBe(3.5)
    expect(axis.position(1)).toBe(-1)
  })
})

describe('compression-sweep curves', () => {
  it('draws every site together in bold over b with the paired Δtop-1 interval as whiskers', () => {
    const o = chartOption(spec('compression-sweep'), data([ONE]), 'light')
    const together = named(o, 'every site together') as LineSeriesOption
    expect(together.lineStyle?.width).toBe(3)
    expectPoints(points(together), [
      [0, 0.82],
      [1, 0.88],
      [2, 0.9],
      [3, 0.9],
    ])
    // The unquantized 90 % + each Δ interval (Δ ± 0.01).
    expectPoints(points(named(o, 'every site together · paired Δ interval')), [
      [0, 0.81, 0.83],
      [1, 0.87, 0.89],
      [2, 0.89, 0.91],
      [3, 0.89, 0.91],
    ])
    const x = o.xAxis as { axisLabel: { customValues: number[]; formatter: (v: number) => string } }
    expect(x.axisLabel.customValues).toEqual([0, 1, 2, 3])
    expect(x.axisLabel.customValues.map(x.axisLabel.formatter)).toEqual(['2', '4', '8', '16'])
  })

  it('draws the unquantized top-1 as a dashed line over its interval', () => {
    const o = chartOption(spec('compression-sweep'), data([ONE]), 'light')
    const together = named(o, 'every site together') as LineSeriesOption
    expect(together.markLine?.data).toEqual([{ yAxis: 0.9 }])
    expect(together.markLine?.lineStyle?.type).toBe('dashed')
    expect(together.markArea?.data).toEqual([[{ yAxis: 0.88 }, { yAxis: 0.92 }]])
  })

  it('marks AC-GC’s choice at its mean bits with its own paired interval', () => {
    const o = chartOption(spec('compression-sweep'), data([ONE]), 'light')
    const acgc = named(o, 'every site together · AC-GC (e = 1)') as ScatterSeriesOption
    // 5 mean bits sit a quarter of the way from b = 4 to b = 8; forward top-1 89 %.
    expectPoints(points(acgc), [[1.25, 0.89]])
    expectPoints(points(named(o, 'every site together · AC-GC (e = 1) interval')), [
      [1.25, 0.88, 0.9],
    ])
  })

  it('switches to KL on a log axis, with its interval as a band and KL = 0 left out', () => {
    const o = chartOption(
      spec('compression-sweep', { options: { measure: 'kl' } }),
      data([ONE]),
      'light',
    )
    expect(o.yAxis).toMatchObject({ type: 'log' })
    expectPoints(points(named(o, 'every site together')), [
      [0, 0.1],
      [1, 0.01],
      [2, 0.001],
      [3, '-'],
    ])
    expectPoints(points(named(o, 'every site together · KL interval')), [
      [0, 0.05, 0.2],
      [1, 0.005, 0.02],
      [2, 0.0005, 0.002],
    ])
    expectPoints(points(named(o, 'every site together · AC-GC (e = 1)')), [[1.25, 0.002]])
  })

  it('adds a thin line per site alone, in depth order, coloured from shallow to deep', () => {
    const o = chartOption(
      spec('compression-sweep', { options: { perSite: true } }),
      data([ONE]),
      'light',
    )
    const sites = series(o).filter((s) => String(s.name).includes(':')) as LineSeriesOption[]
    expect(sites.map((s) => s.name)).toEqual([
      'conv-input:stem.conv1',
      'bn-input:layer1.0.bn1',
      'conv-input:layer1.0.conv2',
    ])
    expect(sites.every((s) => s.lineStyle?.width === 1)).toBe(true)
    // Viridis ends and middle: #440154, #21918c, #fde725.
    expect(sites.map((s) => s.lineStyle?.color)).toEqual([
      'rgb(68, 1, 84)',
      'rgb(33, 145, 140)',
      'rgb(253, 231, 37)',
    ])
    // The stem alone loses 4 % at b = 2, half as much at each larger width.
    expectPoints(points(sites[0]), [
      [0, 0.86],
      [1, 0.88],
      [2, 0.89],
      [3, 0.895],
    ])
    expect(depthColor('dark', 2)).toBe('rgb(253, 231, 37)')
  })

  it('overlays the together curves of several results, the baseline named, no site lines', () => {
    const other = labeled(2, 'seed1 · epoch 3', compressionResult({ acgc: false }))
    const o = chartOption(
      spec('compression-sweep', { baselineResultId: 2, options: { perSite: true } }),
      data([ONE, other]),
      'light',
    )
    const lines = series(o)
      .filter((s) => s.type === 'line')
      .map((s) => s.name)
    expect(lines).toEqual(['seed0 · epoch 3', 'seed1 · epoch 3 (baseline)'])
    expect(
      series(o)
        .filter((s) => s.type === 'scatter')
        .map((s) => s.name),
    ).toEqual(['seed0 · epoch 3 · AC-GC (e = 1)'])
  })

  it('draws AC-GC alone when nothing was swept, and refuses a result with neither', () => {
    const acgcOnly = labeled(3, 'x', compressionResult({ together: false, eachAlone: false }))
    const o = chartOption(spec('compression-sweep'), data([acgcOnly]), 'light')
    expect(series(o).map((s) => s.type)).toEqual(['scatter', 'custom'])
    const nothing = labeled(4, 'y', {
      ...compressionResult({ together: false, eachAlone: false }),
      acgc: null,
    })
    expect(() => chartOption(spec('compression-sweep'), data([nothing]), 'light')).toThrow(
      'no sweep and no AC-GC choice',
    )
  })

  it('names an unknown measure or view', () => {
    expect(() =>
      chartOption(spec('compression-sweep', { options: { measure: 'mse' } }), data([ONE]), 'light'),
    ).toThrow("Unknown compression measure 'mse': use top1, kl.")
    expect(() =>
      chartOption(spec('compression-sweep', { options: { view: 'bars' } }), data([ONE]), 'light'),
    ).toThrow("Unknown sweep view 'bars'")
  })
})

describe('compression-sweep site × b heatmap', () => {
  const heat = (o: EChartsOption) =>
    (o.series as HeatmapSeriesOption[]).filter((s) => s.name !== 'n/a')

  it('puts each site alone on a row in depth order, the paired Δtop-1 per b around 0', () => {
    const o = chartOption(
      spec('compression-sweep', { options: { view: 'sites' } }),
      data([ONE]),
      'light',
    )
    expect((o.yAxis as { data: string[] }[])[0].data).toEqual([
      'stem.conv1',
      'layer1.0.bn1',
      'layer1.0.conv2',
    ])
    expect((o.xAxis as { data: string[] }[])[0].data).toEqual(['2', '4', '8', '16'])
    const cells = heat(o)[0].data as number[][]
    // [column, row, Δ]: the stem at b = 2 loses 4 %; layer1.0.conv2 (depth 2) at b = 4: 4 %/3/2.
    expect(cells).toContainEqual([0, 0, -0.04])
    const conv2 = cells.find(([c, r]) => c === 1 && r === 2)!
    expect(conv2[2]).toBeCloseTo(-0.04 / 6, 12)
    const [scale] = o.visualMap as { min: number; max: number }[]
    expect(scale.min).toBe(-scale.max)
  })

  it('draws log10 KL for the KL measure', () => {
    const o = chartOption(
      spec('compression-sweep', { options: { view: 'sites', measure: 'kl' } }),
      data([ONE]),
      'light',
    )
    const cells = heat(o)[0].data as number[][]
    expect(cells.find(([c, r]) => c === 0 && r === 0)![2]).toBeCloseTo(Math.log10(0.04), 12)
  })

  it('says how to get the view when no site was quantized alone', () => {
    const together = labeled(5, 'z', compressionResult({ eachAlone: false }))
    expect(() =>
      chartOption(
        spec('compression-sweep', { options: { view: 'sites' } }),
        data([together]),
        'light',
      ),
    ).toThrow("Result 5 quantized no site alone: run it with 'each site alone'")
  })
})

describe('compression-bits chart', () => {
  const bars = (o: EChartsOption) => series(o).filter((s) => s.type === 'bar') as BarSeriesOption[]
  const whiskers = (o: EChartsOption) => series(o).filter((s) => s.type === 'custom')

  it('draws AC-GC’s mean bits per site in depth order, conv and BN inputs apart, channel min–max whiskers', () => {
    const o = chartOption(spec('compression-bits'), data([ONE]), 'light')
    const axes = o.xAxis as { data: string[] }[]
    expect(axes[0].data).toEqual(['stem.conv1', 'layer1.0.bn1', 'layer1.0.conv2'])
    const [convBits, convZeros, bnBits, bnZeros] = bars(o)
    expect([convBits.name, bnBits.name]).toEqual(['conv inputs', 'BatchNorm inputs'])
    expect(convBits.data).toEqual([8, '-', 6])
    expect(bnBits.data).toEqual(['-', 4, '-'])
    // Zero fraction, mean over channels: (0.5 + 0.3) / 2 for layer1.0.conv2.
    expect(convZeros.yAxisIndex).toBe(1)
    expect(convZeros.data).toEqual([0, '-', 0.4])
    expect(bnZeros.data).toEqual(['-', 0, '-'])
    expect(whiskers(o).map((w) => w.data)).toEqual([
      [
        [0, 8, 8],
        [2, 6, 6],
      ],
      [[1, 3, 5]],
    ])
  })

  it('puts several results side by side, one colour each, skipping one without AC-GC', () => {
    const other = labeled(2, 'seed1 · epoch 3', compressionResult())
    const none = labeled(3, 'plain', compressionResult({ acgc: false }))
    const o = chartOption(
      spec('compression-bits', { baselineResultId: 1 }),
      data([ONE, other, none]),
      'light',
    )
    expect(bars(o).map((b) => b.name)).toEqual([
      'seed0 · epoch 3 (baseline)',
      'seed0 · epoch 3 (baseline)',
      'seed1 · epoch 3',
      'seed1 · epoch 3',
    ])
    expect(bars(o)[2].data).toEqual([8, 4, 6])
    expect(bars(o).some((b) => b.stack !== undefined)).toBe(false)
  })

  it('refuses a result computed without AC-GC, saying how to get one', () => {
    const none = labeled(3, 'plain', compressionResult({ acgc: false }))
    expect(() => chartOption(spec('compression-bits'), data([none]), 'light')).toThrow(
      'Result 3 has no AC-GC bit choice',
    )
  })
})
