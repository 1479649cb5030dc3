import type { ChartSpec, LabeledResult } from './options/chart-data.ts'

/** What a view shows: the export request without the parts the panel decides at export time. */
export type ChartRequest = ChartSpec

/** A chart of stored results (every one, against the baseline when there is one). */
export function resultsChart(
  chart: ChartRequest['chart'],
  results: readonly { id: number }[],
  baselineResultId: number | null = null,
  options: ChartRequest['options'] = {},
): ChartRequest {
  return { chart, resultIds: results.map((r) => r.id), baselineResultId, runIds: [], options }
}

/** What the panels that draw stored results' charts are given. */
export interface ResultsChartProps {
  title: string
  results: LabeledResult[]
  baselineResultId: number | null
  /** Compare: 'difference' draws each checkpoint − the baseline. */
  mode?: 'absolute' | 'difference'
  synthetic: boolean
  testid: string
}
