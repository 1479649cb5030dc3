import type { CustomSeriesOption, EChartsOption, LineSeriesOption } from 'echarts'
import type { EvaluationResult } from '../../../../electron/api/contract/index.ts'
import { wilsonInterval } from '../../../../native-models/analysis/uncertainty/index.ts'
import { requireKind } from './chart-data.ts'
import { errorBarSeries } from './error-bars.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { axisStyle, formatNumber, frame, legend, palette, seriesColor, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

type BinDatum = [lower: number, upper: number, accuracy: number, confidence: number, count: number]

function binRects(
  name: string,
  data: BinDatum[],
  gridIndex: number,
  fill: (d: BinDatum) => [from: number, to: number],
  style: { fill: string; opacity: number; stroke: string },
): CustomSeriesOption {
  return {
    type: 'custom',
    name,
    xAxisIndex: gridIndex,
    yAxisIndex: gridIndex,
    data,
    encode: { x: [0, 1], y: [2, 3] },
    itemStyle: { color: style.fill, opacity: style.opacity },
    renderItem: (params, api) => {
      const d = data[params.dataIndex]
      const [from, to] = fill(d)
      const a = api.coord([d[0], from])
      const b = api.coord([d[1], to])
      return {
        type: 'rect',
        shape: {
          x: a[0],
          y: Math.min(a[1], b[1]),
          width: b[0] - a[0],
          height: Math.abs(a[1] - b[1]),
        },
        style: { ...style, lineWidth: 1 },
      }
    },
  }
}

function diagonal(gridIndex: number, color: string): LineSeriesOption {
  return {
    type: 'line',
    name: 'perfect calibration',
    xAxisIndex: gridIndex,
    yAxisIndex: gridIndex,
    data: [
      [0, 0],
      [1, 1],
    ],
    showSymbol: false,
    silent: true,
    lineStyle: { color, type: 'dashed', width: 1.5 },
    itemStyle: { color },
  }
}

/** Reliability diagrams side by side: accuracy per confidence bin, the gap to confidence, the diagonal. */
export function reliabilityOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<EvaluationResult>(spec, data.results, 'evaluate')
  const p = palette(theme)
  const axes = axisStyle(theme)
  const accuracyColor = seriesColor(theme, 0)
  const gapColor = seriesColor(theme, 4)
  const top = topMargin(frameOptions, true) + 26
  const gap = 5
  const width = (100 - 8 - 3 - gap * (results.length - 1)) / results.length
  const grids = results.map((_, i) => ({
    left: `${8 + i * (width + gap)}%`,
    width: `${width}%`,
    top,
    bottom: 56,
  }))
  const series = results.flatMap((r, i) => {
    const bins: BinDatum[] = r.payload.reliability
      .filter((b) => b.count > 0)
      .map((b) => [b.lower, b.upper, b.accuracy, b.confidence, b.count])
    return [
      binRects('accuracy', bins, i, (d) => [0, d[2]], {
        fill: accuracyColor,
        opacity: 0.85,
        stroke: p.background,
      }),
      binRects('gap to confidence', bins, i, (d) => [d[2], d[3]], {
        fill: gapColor,
        opacity: 0.35,
        stroke: gapColor,
      }),
      errorBarSeries(
        'accuracy 95% interval',
        bins.map((d) => {
          const interval = wilsonInterval(Math.round(d[2] * d[4]), d[4])
          return [(d[0] + d[1]) / 2, interval.lower, interval.upper]
        }),
        p.text,
        { axisIndex: i },
      ),
      diagonal(i, p.muted),
    ]
  })
  const eceText = (r: (typeof results)[number]): string => {
    const interval = r.payload.intervals?.ece
    const range = interval
      ? ` [${formatNumber(100 * interval.lower, 3)}%, ${formatNumber(100 * interval.upper, 3)}%]`
      : ''
    return `ECE ${formatNumber(100 * r.payload.ece, 3)}%${range}`
  }
  const base = frame(theme, frameOptions)
  return {
    ...base,
    legend: legend(theme, frameOptions, ['accuracy', 'gap to confidence', 'perfect calibration']),
    title: [
      ...[base.title].flat().filter((t) => t !== undefined),
      ...results.map((r, i) => ({
        text: `${r.label}   ${eceText(r)}`,
        left: grids[i].left,
        top: top - 26,
        textStyle: {
          color: p.text,
          fontSize: 13,
          fontWeight: 'normal' as const,
          fontFamily: p.fontFamily,
        },
      })),
    ],
    grid: grids,
    xAxis: grids.map((_, i) => ({
      type: 'value' as const,
      gridIndex: i,
      min: 0,
      max: 1,
      interval: 0.2,
      name: 'confidence',
      nameLocation: 'middle' as const,
      ...axes,
      splitLine: { show: false },
    })),
    yAxis: grids.map((_, i) => ({
      type: 'value' as const,
      gridIndex: i,
      min: 0,
      max: 1,
      interval: 0.2,
      name: i === 0 ? 'accuracy' : '',
      nameLocation: 'middle' as const,
      ...axes,
    })),
    tooltip: {
      ...(base.tooltip as object),
      trigger: 'item',
      formatter: (params) => {
        const item = Array.isArray(params) ? params[0] : params
        const d = item.value as number[]
        if (d.length < 5) return 'perfect calibration'
        const interval = wilsonInterval(Math.round(d[2] * d[4]), d[4])
        return [
          `confidence (${formatNumber(d[0], 3)}, ${formatNumber(d[1], 3)}]`,
          `accuracy ${formatNumber(d[2])} [${formatNumber(interval.lower)}, ${formatNumber(interval.upper)}] (95% Wilson)`,
          `mean confidence ${formatNumber(d[3])}`,
          `${d[4]} images`,
        ].join('<br>')
      },
    },
    series,
  }
}
