import type { LineSeriesOption, ScatterSeriesOption } from 'echarts'
import { describe, expect, it } from 'vitest'
import type {
  ProbeBasis,
  ProbeCurvePoint,
  ProbeSolver,
  ProbesResult,
} from '../../../electron/api/contract/index.ts'
import { chartOption } from '../../../renderer/src/charts/options/chart-option.ts'
import type { ChartSpec, LabeledResult } from '../../../renderer/src/charts/options/chart-data.ts'
import { curvePoints, groupsOption } from '../../../renderer/src/charts/options/probe-charts.ts'

const FRACTIONS = [0.001, 0.01, 0.1, 1]

function point(
  basis: ProbeBasis,
  solver: ProbeSolver,
  fraction: number,
  accuracy: number,
  std: number,
): ProbeCurvePoint {
  return {
    basis,
    solver,
    fraction,
    k: Math.max(1, Math.trunc(fraction * 2048)),
    seeds: fraction === 1 ? 1 : 5,
    accuracy: { mean: accuracy, std },
    cka: basis === 'neurons' ? { mean: Math.sqrt(fraction), std: std / 2 } : null,
  }
}

/** A probe result whose neuron curve rises to `top` at the full layer. */
function probes(top: number, withLogistic = false): ProbesResult {
  const neurons = FRACTIONS.map((f, i) => point('neurons', 'ridge', f, top - 0.1 * (3 - i), 0.02))
  const pca = FRACTIONS.map((f) => point('pca-top', 'ridge', f, top - 0.05, 0))
  const logistic = withLogistic ? [point('neurons', 'logistic', 0.1, top - 0.08, 0.01)] : []
  return {
    layer: 'penultimate',
    dim: 2048,
    classes: Array.from({ length: 10 }, (_, k) => `c${k}`),
    numTrain: 900,
    numValidation: 100,
    numTest: 500,
    fullLayer: {
      accuracy: top,
      interval: { lower: top - 0.03, upper: top + 0.02 },
      regularization: 1,
    },
    points: [],
    // Reversed on purpose: the chart sorts by fraction.
    curve: [...neurons].reverse().concat(pca, logistic),
    diffusedRedundancy: [{ delta: 0.9, value: 0.9, fraction: 0.1 }],
    within5Points: 1,
    features: {
      train: { cache: 'hit', forwardPasses: 0, numImages: 1000, dim: 2048, corruption: null },
      test: { cache: 'computed', forwardPasses: 500, numImages: 500, dim: 2048, corruption: null },
    },
    timings: { moments: 10, ridge: 20, pca: 30, logistic: 40 },
  }
}

const labeled = (id: number, label: string, payload: ProbesResult): LabeledResult => ({
  id,
  kind: 'probes',
  label,
  payload,
})

function spec(chart: 'probe-accuracy' | 'probe-cka', ids: number[], options = {}): ChartSpec {
  return { chart, resultIds: ids, baselineResultId: null, runIds: [], options }
}

const optionOf = (s: ChartSpec, results: LabeledResult[]) =>
  chartOption(s, { results, runs: [], isSynthetic: false }, 'light')
const linesOf = (series: unknown) =>
  (series as LineSeriesOption[]).filter((s) => s.type === 'line' && (s.data as []).length > 0)

describe('probe charts', () => {
  it('draw one result’s neuron curve by fraction on a log axis, its baselines dashed', () => {
    const option = optionOf(spec('probe-accuracy', [1]), [labeled(1, 'a@3', probes(0.9))])
    expect((option.xAxis as { type: string }).type).toBe('log')
    const [neurons, pca] = linesOf(option.series)
    expect(neurons.name).toBe('random neurons (ridge)')
    expect((neurons.data as number[][]).map(([x, y]) => [x, y])).toEqual(
      FRACTIONS.map((f, i) => [f, 0.9 - 0.1 * (3 - i)]),
    )
    expect(pca.name).toBe('PCA top-k')
    expect(pca.lineStyle?.type).toBe('dashed')
  })

  it('mark exact logistic points as diamonds and the full layer as a line over its interval', () => {
    const option = optionOf(spec('probe-accuracy', [1]), [labeled(1, 'a@3', probes(0.9, true))])
    const series = option.series as (LineSeriesOption | ScatterSeriesOption)[]
    const logistic = series.find((s) => s.type === 'scatter') as ScatterSeriesOption
    expect(logistic.symbol).toBe('diamond')
    expect(logistic.data).toEqual([[0.1, 0.9 - 0.08, 0.01]])
    const full = series.find((s) => s.name === 'full layer') as LineSeriesOption
    expect(full.markLine?.data).toEqual([{ yAxis: 0.9 }])
    expect(full.markArea?.data).toEqual([[{ yAxis: 0.87 }, { yAxis: 0.92 }]])
  })

  it('leave the baselines out when comparing results unless asked, one colour per result', () => {
    const results = [labeled(1, 'a@3', probes(0.9)), labeled(2, 'b@3', probes(0.8))]
    expect(
      linesOf(optionOf(spec('probe-accuracy', [1, 2]), results).series).map((s) => s.name),
    ).toEqual(['a@3', 'b@3'])
    const withBaselines = optionOf(spec('probe-accuracy', [1, 2], { baselines: true }), results)
    expect(linesOf(withBaselines.series).map((s) => s.name)).toEqual([
      'a@3',
      'a@3 · PCA top-k',
      'b@3',
      'b@3 · PCA top-k',
    ])
  })

  it('draw a run group as the mean ± sample std of its members’ seed means', () => {
    const members = [probes(0.9), probes(0.8)]
    const points = curvePoints(members, 'neurons', 'accuracy')
    expect(points.map((p) => p.x)).toEqual(FRACTIONS)
    expect(points[3].y).toBeCloseTo(0.85, 12)
    expect(points[3].spread).toBeCloseTo(Math.sqrt(0.005), 12)
    const groups = JSON.stringify([{ name: 'seeds', resultIds: [1, 2] }])
    const results = [labeled(1, 'a@3', members[0]), labeled(2, 'b@3', members[1])]
    const lines = linesOf(optionOf(spec('probe-accuracy', [1, 2], { groups }), results).series)
    expect(lines.map((s) => s.name)).toEqual(['seeds (mean ± std, 2 runs)'])
  })

  it('refuse groups that are not a JSON list of names and result ids', () => {
    expect(() => groupsOption(spec('probe-cka', [1], { groups: 'seeds:1,2' }))).toThrow(/JSON/)
    expect(() => groupsOption(spec('probe-cka', [1], { groups: '[{"name":1}]' }))).toThrow(
      /resultIds/,
    )
  })

  it('draw subset CKA with its std over seeds on [0, 1]', () => {
    const option = optionOf(spec('probe-cka', [1]), [labeled(1, 'a@3', probes(0.9))])
    const [line] = linesOf(option.series)
    expect((line.data as number[][]).map(([x, y, s]) => [x, y, s])).toEqual(
      FRACTIONS.map((f) => [f, Math.sqrt(f), f === 1 ? NaN : 0.01]),
    )
    expect(option.yAxis).toMatchObject({ min: 0, max: 1 })
  })

  it('refuse results of another kind', () => {
    const wrong = { ...labeled(1, 'a@3', probes(0.9)), kind: 't3a' as const }
    expect(() => optionOf(spec('probe-accuracy', [1]), [wrong])).toThrow(/'t3a' result/)
  })
})
