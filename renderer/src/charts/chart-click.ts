/** A click on a data item: which series, and its value ([x, y, value] for heatmap cells). */
export interface ChartClick {
  seriesIndex: number
  value: unknown
}
