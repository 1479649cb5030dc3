import type { BarSeriesOption, LineSeriesOption } from 'echarts'
import { describe, expect, it } from 'vitest'
import type { T3aDomainResult, T3aFilter, T3aResult } from '../../../electron/api/contract/index.ts'
import { chartOption } from '../../../renderer/src/charts/options/chart-option.ts'
import type { ChartSpec, LabeledResult } from '../../../renderer/src/charts/options/chart-data.ts'
import { supportCountLines } from '../../../renderer/src/charts/options/t3a-charts.ts'

const FILTERS: T3aFilter[] = [1, 20, 'all']
const interval = (v: number) => ({ lower: v - 0.02, upper: v + 0.02 })

function domain(label: string, base: number, classes = 3): T3aDomainResult {
  return {
    label,
    corruption: null,
    numImages: 100,
    predicted: 96,
    base: { accuracy: base, interval: interval(base), meanEntropy: 0.5 },
    filters: FILTERS.map((filter, i) => ({
      filter,
      accuracy: base + 0.01 * (i + 1),
      interval: interval(base + 0.01 * (i + 1)),
      delta: {
        value: 0.01 * (i + 1),
        interval: { lower: 0, upper: 0.02 * (i + 1) },
        mcnemarP: 0.5,
      },
      meanEntropy: 0.2,
      supports: {
        batches: [0, 1, 2],
        counts: [0, 1, 2].map((b) => Array.from({ length: classes }, (_, k) => 1 + b + k)),
        meanEntropy: [0.3, 0.2, 0.1],
      },
    })),
    features: { cache: 'hit', forwardPasses: 0, numImages: 100, dim: 8, corruption: null },
  }
}

function t3a(domains: T3aDomainResult[]): T3aResult {
  return {
    classes: ['cat', 'dog', 'bird'],
    dim: 8,
    streamBatch: 32,
    order: { kind: 'shuffle', seed: 0 },
    lastPartialBatch: 'drop',
    allBehaviour: 'keep-every-support',
    domains,
    adaptMs: 5,
  }
}

const labeled = (id: number, label: string, payload: T3aResult): LabeledResult => ({
  id,
  kind: 't3a',
  label,
  payload,
})

function spec(chart: 't3a-domains' | 't3a-supports', ids: number[], options = {}): ChartSpec {
  return { chart, resultIds: ids, baselineResultId: null, runIds: [], options }
}

const optionOf = (s: ChartSpec, results: LabeledResult[]) =>
  chartOption(s, { results, runs: [], isSynthetic: false }, 'light')
const barsOf = (series: unknown) => (series as BarSeriesOption[]).filter((s) => s.type === 'bar')

const ONE = [labeled(1, 'a@3', t3a([domain('photo', 0.9), domain('sketch', 0.6)]))]

describe('T3A charts', () => {
  it('draw the base and every M per domain with their intervals', () => {
    const option = optionOf(spec('t3a-domains', [1]), ONE)
    expect((option.xAxis as { data: string[] }).data).toEqual(['photo', 'sketch'])
    const bars = barsOf(option.series)
    expect(bars.map((b) => b.name)).toEqual(['base', 'T3A M = 1', 'T3A M = 20', 'T3A M = all'])
    expect(bars[0].data).toEqual([0.9, 0.6])
    const [photo, sketch] = bars[3].data as number[]
    expect(photo).toBeCloseTo(0.93, 12)
    expect(sketch).toBeCloseTo(0.63, 12)
    const whiskers = (option.series as { type: string }[]).filter((s) => s.type === 'custom')
    expect(whiskers).toHaveLength(4)
  })

  it('draw the paired delta to the base at one M, not the difference of the bars', () => {
    const bars = barsOf(
      optionOf(spec('t3a-domains', [1], { filter: 20, mode: 'difference' }), ONE).series,
    )
    expect(bars.map((b) => b.name)).toEqual(['T3A M = 20'])
    expect(bars[0].data).toEqual([0.02, 0.02])
  })

  it('put several results side by side, each with its base, at the chosen M', () => {
    const two = [...ONE, labeled(2, 'b@3', t3a([domain('photo', 0.8), domain('cartoon', 0.7)]))]
    const option = optionOf(spec('t3a-domains', [1, 2], { filter: 'all' }), two)
    expect((option.xAxis as { data: string[] }).data).toEqual(['photo', 'sketch', 'cartoon'])
    const bars = barsOf(option.series)
    expect(bars.map((b) => b.name)).toEqual([
      'a@3 · base',
      'a@3 · T3A M = all',
      'b@3 · base',
      'b@3 · T3A M = all',
    ])
    expect(bars[2].data).toEqual([0.8, '-', 0.7])
  })

  it('refuse a filter that is neither a positive M nor all', () => {
    expect(() => optionOf(spec('t3a-domains', [1], { filter: '-1' }), ONE)).toThrow(/positive M/)
  })

  it('draw each class’s support count per batch and the mean entropy on its own axis', () => {
    const option = optionOf(spec('t3a-supports', [1], { domain: 'sketch', filter: 1 }), ONE)
    const lines = option.series as LineSeriesOption[]
    expect(lines.map((l) => l.name)).toEqual(['cat', 'dog', 'bird', 'mean entropy of the supports'])
    expect(lines[2].data).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ])
    expect(lines[3].yAxisIndex).toBe(1)
    expect(lines[3].data).toEqual([
      [0, 0.3],
      [1, 0.2],
      [2, 0.1],
    ])
  })

  it('name an unknown domain', () => {
    expect(() => optionOf(spec('t3a-supports', [1], { domain: 'art' }), ONE)).toThrow(
      /no domain 'art'/,
    )
  })

  it('summarise many classes as their min, median and max support count', () => {
    const supports = domain('photo', 0.9, 25).filters[0].supports
    const lines = supportCountLines(supports, [])
    expect(lines.map((l) => l.name)).toEqual([
      'min over classes',
      'median over classes',
      'max over classes',
    ])
    expect(lines.map((l) => l.values[0])).toEqual([1, 13, 25])
  })
})
