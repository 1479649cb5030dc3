import type { CustomSeriesOption } from 'echarts'

/** [category index or x value, lower, upper]; a null interval draws nothing there. */
export type ErrorBarDatum = [x: number, lower: number, upper: number]

export interface ErrorBarPlacement {
  /** Bars per category drawn beside each other, and which of them these whiskers belong to. */
  barCount: number
  barIndex: number
  barMaxWidth: number
}

/**
 * Whiskers (95 % intervals) over bars or points. On a category axis `placement` centres each
 * whisker on its own bar of a group, using the same layout ECharts gives the bars.
 */
export function errorBarSeries(
  name: string,
  data: ErrorBarDatum[],
  color: string,
  options: { placement?: ErrorBarPlacement; axisIndex?: number } = {},
): CustomSeriesOption {
  const { placement, axisIndex = 0 } = options
  return {
    type: 'custom',
    name,
    xAxisIndex: axisIndex,
    yAxisIndex: axisIndex,
    data,
    encode: { x: 0, y: [1, 2] },
    z: 5,
    silent: true,
    tooltip: { show: false },
    renderItem: (_params, api) => {
      const x = api.value(0) as number
      const top = api.coord([x, api.value(2)])
      const bottom = api.coord([x, api.value(1)])
      let center = top[0]
      let half = 4
      if (placement) {
        const layout = api.barLayout({
          count: placement.barCount,
          barMaxWidth: placement.barMaxWidth,
        })
        const bar = layout?.[placement.barIndex]
        if (bar) {
          center += bar.offsetCenter
          half = Math.max(2, Math.min(6, bar.width / 4))
        }
      }
      const style = { stroke: color, lineWidth: 1.5 }
      const line = (x1: number, y1: number, x2: number, y2: number) => ({
        type: 'line' as const,
        shape: { x1, y1, x2, y2 },
        style,
      })
      return {
        type: 'group',
        children: [
          line(center, top[1], center, bottom[1]),
          line(center - half, top[1], center + half, top[1]),
          line(center - half, bottom[1], center + half, bottom[1]),
        ],
      }
    },
  }
}
