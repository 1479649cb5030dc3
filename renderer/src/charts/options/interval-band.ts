import type { CustomSeriesOption } from 'echarts'

/** [x, lower, upper] of a band at one x. */
export type BandDatum = [number, number, number]

/**
 * A band from its lower to its upper edge as one polygon, drawn once per series (a custom
 * series keeps the axis extent, which an area between two stacked lines would not).
 */
export function intervalBandSeries(
  name: string,
  data: BandDatum[],
  color: string,
  opacity: number,
): CustomSeriesOption {
  return {
    type: 'custom',
    name,
    data,
    encode: { x: 0, y: [1, 2] },
    silent: true,
    z: 1,
    tooltip: { show: false },
    renderItem: (params, api) => {
      if (params.dataIndex !== 0 || data.length < 2) return null
      const upper = data.map(([x, , hi]) => api.coord([x, hi]))
      const lower = data.map(([x, lo]) => api.coord([x, lo])).reverse()
      return {
        type: 'polygon',
        shape: { points: [...upper, ...lower] },
        style: { fill: color, opacity },
      }
    },
  }
}
