import type { BarSeriesOption, LineSeriesOption } from 'echarts'
import { describe, expect, it } from 'vitest'
import { chartOption } from '../../../renderer/src/charts/options/chart-option.ts'
import type { ChartSpec } from '../../../renderer/src/charts/options/chart-data.ts'
import { SWEEP_CHART } from '../../fixtures/data/robustness-charts.ts'

const NO_DATA = { results: [], runs: [], isSynthetic: false }

function spec(chart: 'corruption-bars' | 'severity-curves', options: ChartSpec['options']) {
  return { chart, resultIds: [], baselineResultId: null, runIds: [], options, sweep: SWEEP_CHART }
}

const seriesOf = (s: ChartSpec) => chartOption(s, NO_DATA, 'light').series as object[]

describe('sweep charts', () => {
  it('draw one bar per checkpoint per corruption, the mean over every cell first', () => {
    const bars = seriesOf(spec('corruption-bars', {})).filter(
      (s): s is BarSeriesOption => (s as BarSeriesOption).type === 'bar',
    )
    expect(bars.map((b) => b.name)).toEqual(['damp-seed0@3', 'plain-seed0@3 (baseline)'])
    const [damp] = SWEEP_CHART.sweep.checkpoints
    expect(bars[0].data).toEqual([
      damp.overall.accuracy.estimate,
      ...damp.corruptionAccuracy.map((c) => c.accuracy.estimate),
    ])
  })

  it('draw the paired deltas as given, not the difference of the bars', () => {
    const bars = seriesOf(spec('corruption-bars', { mode: 'difference' })).filter(
      (s): s is BarSeriesOption => (s as BarSeriesOption).type === 'bar',
    )
    const [damp] = SWEEP_CHART.sweep.checkpoints
    expect(bars).toHaveLength(1)
    expect(bars[0].data).toEqual([
      damp.overall.delta!.estimate,
      ...damp.corruptionAccuracy.map((c) => c.delta!.estimate),
    ])
  })

  it('start each severity curve at the clean accuracy, one corruption’s cells when chosen', () => {
    const lines = seriesOf(spec('severity-curves', { corruption: 'fog' })).filter(
      (s): s is LineSeriesOption => (s as LineSeriesOption).type === 'line',
    )
    const [damp] = SWEEP_CHART.sweep.checkpoints
    const fog = damp.severityCurve.map((p) => p.byCorruption.find((c) => c.corruption === 'fog')!)
    expect((lines[0].data as number[][]).map((d) => d.slice(0, 2))).toEqual(
      damp.severityCurve.map((p, i) => [p.severity, fog[i].top1]),
    )
  })

  it('refuse deltas of one corruption by severity and deltas without a baseline', () => {
    expect(() =>
      seriesOf(spec('severity-curves', { mode: 'difference', corruption: 'fog' })),
    ).toThrow(/averaged over the corruptions/)
    const noBaseline = {
      ...spec('corruption-bars', { mode: 'difference' }),
      sweep: { ...SWEEP_CHART, sweep: { ...SWEEP_CHART.sweep, baselineCheckpointId: null } },
    }
    expect(() => seriesOf(noBaseline)).toThrow(/need a baseline checkpoint/)
  })
})
