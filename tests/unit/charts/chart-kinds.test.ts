import type {
  BarSeriesOption,
  EChartsOption,
  HeatmapSeriesOption,
  LineSeriesOption,
  TitleComponentOption,
} from 'echarts'
import { describe, expect, it } from 'vitest'
import { tapMetric } from '../../../renderer/src/charts/options/activation-bars.ts'
import { chartResultIds } from '../../../renderer/src/charts/options/chart-data.ts'
import { chartOption } from '../../../renderer/src/charts/options/chart-option.ts'
import { rowNormalized } from '../../../renderer/src/charts/options/confusion.ts'
import { groupRuns, meanStdPerEpoch } from '../../../renderer/src/charts/options/metric-curves.ts'
import { magnitudeSteps } from '../../../renderer/src/charts/options/tap-histogram.ts'
import { data, evaluation, labeled, run, spec, stats, tap } from './results.ts'

const A = labeled(
  1,
  'seed0 · epoch 1',
  evaluation([
    [2, 1, 0],
    [0, 3, 0],
    [1, 0, 0],
  ]),
)
const B = labeled(
  2,
  'seed0 · epoch 5',
  evaluation([
    [3, 0, 0],
    [0, 3, 0],
    [0, 0, 1],
  ]),
)
const S1 = labeled(
  3,
  'epoch 1',
  stats([tap('stem', [1, -1], [1, 1], [0.5, 0.1]), tap('fc', [2], [0], [0])]),
  'activation-stats',
)
const S2 = labeled(
  4,
  'epoch 5',
  stats([tap('stem', [0, 0], [2, 2], [0.2, 0.2])]),
  'activation-stats',
)

const names = (o: EChartsOption): string[] =>
  (o.series as { name?: string }[]).map((s) => String(s.name))

describe('metric curves', () => {
  const runs = [
    run(1, 'base', ['baseline'], [[0.3], [0.5]]),
    run(2, 'seed0', ['seeds'], [[0.4], [0.6]]),
    run(3, 'seed1', ['seeds'], [[0.5], [0.8]]),
  ]

  it('turns runs sharing a group tag into one mean ± sample-std series', () => {
    const points = meanStdPerEpoch([
      new Map([
        [0, 0.4],
        [1, 0.6],
      ]),
      new Map([
        [0, 0.5],
        [1, 0.8],
      ]),
    ])
    expect(points.map((p) => p.x)).toEqual([0, 1])
    expect(points[1].y).toBeCloseTo(0.7)
    expect(points[1].spread).toBeCloseTo(Math.SQRT2 * 0.1)
    expect(meanStdPerEpoch([new Map([[0, 1]])])[0].spread).toBeNull()
  })

  it('keeps the baseline run out of groups and draws it first, dashed', () => {
    const groups = groupRuns(runs, ['seeds', 'baseline'], 1)
    expect(groups.map((g) => [g.name, g.runs.map((r) => r.name), g.isBaseline])).toEqual([
      ['base', ['base'], true],
      ['seeds', ['seed0', 'seed1'], false],
    ])
    const option = chartOption(
      spec('metric-curves', { runIds: [1, 2, 3], options: { group: 'seeds', baselineRun: 1 } }),
      data([], runs),
      'light',
    )
    expect(names(option)).toEqual([
      'base (baseline)',
      'seeds (mean ± std, 2 runs)',
      'seeds (mean ± std, 2 runs)',
    ])
    expect((option.series as LineSeriesOption[])[0].lineStyle?.type).toBe('dashed')
  })

  it('says which metric no run logs', () => {
    expect(() =>
      chartOption(
        spec('metric-curves', { runIds: [1], options: { metric: 'f1' } }),
        data([], runs),
        'light',
      ),
    ).toThrow("None of the runs logs a metric named 'f1'.")
  })
})

describe('evaluation charts', () => {
  it('puts each result in its own reliability panel with the diagonal, empty bins left out', () => {
    const option = chartOption(spec('reliability', { resultIds: [1, 2] }), data([A, B]), 'light')
    expect(option.grid).toHaveLength(2)
    expect(names(option)).toEqual([
      'accuracy',
      'gap to confidence',
      'accuracy 95% interval',
      'perfect calibration',
      'accuracy',
      'gap to confidence',
      'accuracy 95% interval',
      'perfect calibration',
    ])
    expect((option.series as { data: unknown[] }[])[0].data).toHaveLength(1)
    const titles = (option.title as TitleComponentOption[]).map((t) => t.text)
    expect(titles).toContain('seed0 · epoch 1   ECE 5%')
  })

  it('puts a 95% Wilson whisker on each reliability bin, as statsmodels computes it', () => {
    const option = chartOption(spec('reliability', { resultIds: [1] }), data([A]), 'light')
    const whiskers = (option.series as { name?: string; data: number[][] }[]).find(
      (s) => s.name === 'accuracy 95% interval',
    )
    // Bin (0.5, 1] holds all 7 images of A, 5 of them right: statsmodels'
    // proportion_confint(5, 7, method='wilson') = (0.3589344518326191, 0.9177810759959432).
    expect(whiskers?.data).toHaveLength(1)
    const [x, lower, upper] = whiskers?.data[0] ?? []
    expect(x).toBe(0.75)
    expect(lower).toBeCloseTo(0.3589344518326194, 12)
    expect(upper).toBeCloseTo(0.9177810759959432, 12)
  })

  it('adds the ECE interval to a reliability panel title when the result has one', () => {
    const withInterval = labeled(7, 'seed1 · epoch 2', {
      ...evaluation([[1]], ['cat']),
      ece: 0.05,
      intervals: {
        confidence: 0.95,
        top1: { lower: 0.2, upper: 1 },
        top5: { lower: 0.2, upper: 1 },
        nll: { lower: 0.5, upper: 1.2 },
        ece: { lower: 0.031, upper: 0.072 },
        bootstrap: { resamples: 1000, seed: 0 },
      },
    })
    const option = chartOption(
      spec('reliability', { resultIds: [7] }),
      data([withInterval]),
      'dark',
    )
    const titles = (option.title as TitleComponentOption[]).map((t) => t.text)
    expect(titles).toContain('seed1 · epoch 2   ECE 5% [3.1%, 7.2%]')
  })

  it('row-normalises a confusion matrix, an empty row becoming n/a', () => {
    expect(
      rowNormalized([
        [1, 3],
        [0, 0],
      ]),
    ).toEqual([
      [0.25, 0.75],
      [null, null],
    ])
  })

  it('draws confusion differences against the baseline on a scale centred on 0', () => {
    const option = chartOption(
      spec('confusion', { resultIds: [1, 2], options: { mode: 'difference', normalize: true } }),
      data([A, B]),
      'light',
    )
    const [panel] = option.series as HeatmapSeriesOption[]
    expect(panel.name).toBe('seed0 · epoch 5 − seed0 · epoch 1')
    expect(panel.data).toContainEqual([2, 2, 1])
    const [scale] = option.visualMap as { min: number; max: number }[]
    expect(scale.min).toBe(-scale.max)
  })

  it('refuses to compare confusion matrices of different classes', () => {
    const other = labeled(
      9,
      'x',
      evaluation(
        [
          [1, 0],
          [0, 1],
        ],
        ['a', 'b'],
      ),
    )
    expect(() =>
      chartOption(spec('confusion', { resultIds: [1, 9] }), data([A, other]), 'light'),
    ).toThrow('different classes')
  })

  it('shows per-class accuracy per result and the deltas against the baseline', () => {
    const absolute = chartOption(spec('per-class', { resultIds: [1, 2] }), data([A, B]), 'light')
    expect(names(absolute)).toEqual([
      'seed0 · epoch 1 (baseline)',
      'seed0 · epoch 5',
      'seed0 · epoch 1 (baseline) 95% interval',
      'seed0 · epoch 5 95% interval',
    ])
    expect((absolute.series as BarSeriesOption[])[1].data).toEqual([1, 1, 1])
    const deltas = chartOption(
      spec('per-class', { resultIds: [1, 2], options: { mode: 'difference' } }),
      data([A, B]),
      'light',
    )
    const [delta] = (deltas.series as BarSeriesOption[])[0].data as number[]
    expect(delta).toBeCloseTo(1 / 3)
    expect(names(deltas)).toEqual(['seed0 · epoch 5 − seed0 · epoch 1'])
  })

  it('puts the 95% Wilson interval of each class over its bar', () => {
    const option = chartOption(spec('per-class', { resultIds: [1] }), data([A]), 'light')
    const whiskers = (option.series as { name?: string; type?: string; data: number[][] }[]).find(
      (s) => s.type === 'custom',
    )
    // 'cat' in A: 2 of 3 right; statsmodels proportion_confint(2, 3, method='wilson').
    const [cat] = whiskers?.data ?? []
    expect(cat[0]).toBe(0)
    expect(cat[1]).toBeCloseTo(0.2076596008020477, 12)
    expect(cat[2]).toBeCloseTo(0.9385080552796037, 12)
    // 'bird': 0 of 1 right, the interval starts at exactly 0.
    expect(whiskers?.data[2]?.[1]).toBe(0)
  })

  it('refuses activation statistics with the reason', () => {
    expect(() => chartOption(spec('reliability', { resultIds: [3] }), data([S1]), 'light')).toThrow(
      "Result 3 is a 'activation-stats' result",
    )
  })
})

describe('activation charts', () => {
  it('aggregates channels: mean zero fraction, mean |mean|, max |x| and the pooled std', () => {
    const t = tap('stem', [1, -1], [1, 1], [0.5, 0.1])
    expect(tapMetric(t, 'zeroFraction')).toBeCloseTo(0.3)
    expect(tapMetric(t, 'meanAbs')).toBe(1)
    expect(tapMetric(t, 'maxAbs')).toBe(4)
    // two channels of N(1, 1) and N(-1, 1): all values together have variance 1 + 1 = 2
    expect(tapMetric(t, 'std')).toBeCloseTo(Math.SQRT2)
  })

  it('keys layer bars by tap, n/a where a result has no such tap', () => {
    const option = chartOption(
      spec('layer-bars', { resultIds: [3, 4], options: { metric: 'meanAbs' } }),
      data([S1, S2]),
      'light',
    )
    expect(option.xAxis).toMatchObject({ data: ['stem', 'fc'] })
    expect((option.series as BarSeriesOption[])[1].data).toEqual([0, '-'])
  })

  it('names an unknown layer metric and the ones there are', () => {
    expect(() =>
      chartOption(
        spec('layer-bars', { resultIds: [3], options: { metric: 'mean' } }),
        data([S1]),
        'light',
      ),
    ).toThrow("Unknown layer metric 'mean': use zeroFraction, meanAbs, maxAbs, std.")
  })

  it('draws a tap histogram as shares of the log-spaced bins, the zero bin stated apart', () => {
    const steps = magnitudeSteps({
      edges: [0, 0.001, 0.01, 0.1, 1],
      counts: [5, 1, 2, 2],
      sampledValues: 10,
      totalValues: 100,
    })
    expect(steps).toEqual({
      nearZero: 0.5,
      nearZeroBelow: 0.001,
      steps: [
        [0.001, 0.1],
        [0.01, 0.2],
        [0.1, 0.2],
        [1, 0.2],
      ],
    })
    const option = chartOption(
      spec('tap-histogram', { resultIds: [3, 4], options: { tap: 'stem' } }),
      data([S1, S2]),
      'light',
    )
    expect(names(option)).toEqual([
      'epoch 1 (baseline) · 50% below 0.001',
      'epoch 5 · 50% below 0.001',
    ])
    expect(() =>
      chartOption(
        spec('tap-histogram', { resultIds: [4], options: { tap: 'fc' } }),
        data([S2]),
        'light',
      ),
    ).toThrow("Result 4 has no tap 'fc'.")
  })
})

describe('every chart', () => {
  it('puts a baseline that is not among the results first', () => {
    expect(
      chartResultIds(spec('per-class', { resultIds: [2, 3, 2], baselineResultId: 7 })),
    ).toEqual([7, 2, 3])
  })

  it('says synthetic on figures of generated data and carries a title when asked', () => {
    const option = chartOption(
      spec('per-class', { resultIds: [1], options: { title: 'Per-class accuracy' } }),
      { ...data([A]), isSynthetic: true },
      'dark',
    )
    expect(option.title).toMatchObject({ text: 'Per-class accuracy', subtext: 'synthetic data' })
  })
})
