import * as echarts from 'echarts'
import type { HeatmapSeriesOption, VisualMapComponentOption } from 'echarts'
import { describe, expect, it } from 'vitest'
import {
  cellDecimals,
  heatmapExtent,
  heatmapOption,
  heatmapScale,
} from '../../../renderer/src/charts/options/heatmap.ts'
import type { HeatmapInput } from '../../../renderer/src/charts/options/heatmap.ts'
import { palette } from '../../../renderer/src/charts/options/theme.ts'

function input(overrides: Partial<HeatmapInput> = {}): HeatmapInput {
  return {
    panels: [
      {
        title: 'a',
        values: [
          [1, 2],
          [NaN, 4],
        ],
      },
    ],
    rowLabels: ['r0', 'r1'],
    colLabels: ['c0', 'c1'],
    rowName: 'row',
    colName: 'column',
    valueName: 'value',
    min: null,
    max: null,
    mode: 'absolute',
    ...overrides,
  }
}

const seriesOf = (o: echarts.EChartsOption) => o.series as HeatmapSeriesOption[]
const visualMaps = (o: echarts.EChartsOption) => o.visualMap as VisualMapComponentOption[]

describe('heatmap option', () => {
  it('takes the colour scale it is given, so side-by-side panels share it', () => {
    const option = heatmapOption(input({ min: -3, max: 10 }), 'light')
    expect(visualMaps(option)[0]).toMatchObject({ min: -3, max: 10 })
  })

  it('finds one extent over several matrices, ignoring NaN and null', () => {
    expect(
      heatmapExtent([
        [[1, NaN]],
        [
          [null, -2],
          [7, 0],
        ],
      ]),
    ).toEqual({ min: -2, max: 7 })
    expect(heatmapExtent([[[null]]])).toEqual({ min: 0, max: 1 })
  })

  it('centres the difference scale on 0 with a diverging palette', () => {
    const option = heatmapOption(input({ mode: 'difference', min: -0.2, max: 0.5 }), 'dark')
    expect(heatmapScale(input({ mode: 'difference', min: -0.2, max: 0.5 }))).toEqual({
      min: -0.5,
      max: 0.5,
    })
    expect(visualMaps(option)[0]).toMatchObject({
      min: -0.5,
      max: 0.5,
      inRange: { color: palette('dark').diverging },
    })
  })

  it('puts NaN and null cells in a grey n/a series outside the colour scale', () => {
    const option = heatmapOption(
      input({
        panels: [
          {
            values: [
              [1, null],
              [NaN, 4],
            ],
          },
        ],
      }),
      'light',
    )
    const [values, missing] = seriesOf(option)
    expect(values.data).toEqual([
      [0, 0, 1],
      [1, 1, 4],
    ])
    expect(missing.data).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ])
    expect(missing.name).toBe('n/a')
    expect(visualMaps(option)[0].seriesIndex).toEqual([0])
    expect(visualMaps(option)[1]).toMatchObject({
      seriesIndex: [1],
      inRange: { color: [palette('light').missing, palette('light').missing] },
    })
  })

  it('draws n/a cells grey and labelled, never in a scale colour', () => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 400, height: 300 })
    chart.setOption(heatmapOption(input({ showValues: true }), 'light'))
    const svg = chart.renderToSVGString()
    chart.dispose()
    expect(svg).toContain('>n/a<')
    const grey = palette('light').missing
    const rgb = [1, 3, 5].map((i) => parseInt(grey.slice(i, i + 2), 16)).join(',')
    expect(svg).toContain(`fill="rgb(${rgb})"`)
  })

  it('lays several panels out side by side, one axis pair each', () => {
    const option = heatmapOption(
      input({
        panels: [{ values: [[1]] }, { values: [[2]] }, { values: [[3]] }],
        rowLabels: ['r'],
        colLabels: ['c'],
      }),
      'light',
    )
    expect(option.grid).toHaveLength(3)
    expect(seriesOf(option).map((s) => s.xAxisIndex)).toEqual([0, 0, 1, 1, 2, 2])
  })
})

describe('cellDecimals', () => {
  const of = (values: (number | null)[][]) => cellDecimals({ panels: [{ values }] })

  it('gives three digits below the largest value of the matrix, at most three decimals', () => {
    expect(
      of([
        [1, 0.991],
        [0.5, null],
      ]),
    ).toBe(3)
    expect(of([[0.0575, 0.00115]])).toBe(3)
    expect(of([[12.5, 3.25]])).toBe(1)
  })

  it('gives no decimals to counts and to an all-zero or empty matrix', () => {
    expect(
      of([
        [3, 40],
        [0, 7],
      ]),
    ).toBe(0)
    expect(of([[0, 0]])).toBe(0)
    expect(of([[null]])).toBe(0)
  })
})
