import type { EChartsOption } from 'echarts'
import type { RunDetail } from '../../../../electron/api/contract/index.ts'
import type { ChartRequest } from '../../charts/chart-request.ts'
import { chartOption } from '../../charts/options/chart-option.ts'
import { curveSources, missingNote, styleNote } from '../../charts/options/curve-sources.ts'
import type { ChartTheme } from '../../charts/options/theme.ts'

/** What a run-page curve panel shows: the chart, or why not, and what its lines are. */
export interface CurvePanel {
  option: EChartsOption | null
  /** Why nothing is drawn ('' when drawn). */
  error: string
  /** The series drawn and their line styles: 'train_loss dotted · test_loss solid'. */
  note: string
  /** The runs that lack the series: 'not logged by: run-b', or ''. */
  missing: string
}

/** A 'metric-curves' request over the drawn runs, with the page's groups and baseline. */
export function curvesRequest(
  runs: RunDetail[],
  options: ChartRequest['options'],
  groupTags: string[],
  baselineRunId: number | null,
): ChartRequest {
  const all = { ...options }
  if (groupTags.length) all['group'] = groupTags.join(',')
  if (baselineRunId !== null) all['baselineRun'] = baselineRunId
  return {
    chart: 'metric-curves',
    resultIds: [],
    baselineResultId: null,
    runIds: runs.map((r) => r.id),
    options: all,
  }
}

export function curvePanel(
  request: ChartRequest,
  runs: RunDetail[],
  isSynthetic: boolean,
  theme: ChartTheme,
): CurvePanel {
  try {
    const sources = curveSources(request, runs)
    const option = chartOption(request, { results: [], runs, isSynthetic }, theme)
    return { option, error: '', note: styleNote(sources), missing: missingNote(sources) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { option: null, error: message, note: '', missing: '' }
  }
}
