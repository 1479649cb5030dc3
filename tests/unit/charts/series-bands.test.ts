import type { CustomSeriesOption, EChartsOption, LineSeriesOption } from 'echarts'
import { describe, expect, it } from 'vitest'
import { seriesBandsOption } from '../../../renderer/src/charts/options/series-bands.ts'
import { palette } from '../../../renderer/src/charts/options/theme.ts'

const option = (): EChartsOption =>
  seriesBandsOption(
    {
      series: [
        {
          name: 'seeds',
          points: [
            { x: 0, y: 0.5, spread: 0.1 },
            { x: 1, y: 0.6, spread: 0.05 },
          ],
        },
        {
          name: 'baseline',
          isBaseline: true,
          points: [
            { x: 0, y: 0.4 },
            { x: 1, y: 0.5 },
          ],
        },
      ],
      xName: 'epoch',
      yName: 'accuracy',
      isIntegerX: true,
    },
    'light',
  )

describe('series with bands', () => {
  it('gives a series with spreads a ±spread band under its line', () => {
    const series = option().series as (LineSeriesOption | CustomSeriesOption)[]
    expect(series.map((s) => [s.type, s.name])).toEqual([
      ['line', 'seeds'],
      ['custom', 'seeds'],
      ['line', 'baseline'],
    ])
    const band = (series[1] as CustomSeriesOption).data as number[][]
    ;[
      [0, 0.4, 0.6],
      [1, 0.55, 0.65],
    ].forEach((row, i) => row.forEach((v, j) => expect(band[i][j]).toBeCloseTo(v)))
  })

  it('draws the baseline dashed in the baseline grey', () => {
    const baseline = (option().series as LineSeriesOption[])[2]
    expect(baseline.lineStyle).toMatchObject({ type: 'dashed', color: palette('light').baseline })
  })

  it('names both axes', () => {
    const o = option()
    expect(o.xAxis).toMatchObject({ name: 'epoch', minInterval: 1 })
    expect(o.yAxis).toMatchObject({ name: 'accuracy' })
  })
})
