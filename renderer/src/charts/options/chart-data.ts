import type {
  ChartExportRequest,
  JobKind,
  RunDetail,
} from '../../../../electron/api/contract/index.ts'

/** What decides a chart's content: the export request without theme, format and size. */
export type ChartSpec = Pick<
  ChartExportRequest,
  'chart' | 'resultIds' | 'baselineResultId' | 'runIds' | 'options' | 'matrix' | 'sweep' | 'gallery'
>

/** A stored result as a chart draws it: its payload and the name a legend shows. */
export interface LabeledResult<P = unknown> {
  id: number
  kind: JobKind
  label: string
  payload: P
}

/** Everything a chart of a spec needs, loaded by the view or by the export. */
export interface ChartData {
  /** The spec's results in order, the baseline first when it is not one of them. */
  results: LabeledResult[]
  /** The spec's runs in order ('metric-curves'). */
  runs: RunDetail[]
  isSynthetic: boolean
}

/** A chart asked of data it cannot draw; `code` lets the hosts report it as a bad request. */
export class ChartDataError extends Error {
  override readonly name = 'ChartDataError'
  readonly code = 'INVALID_ARGUMENT'
}

/** The results a spec draws, in order: the baseline first when it is not among `resultIds`. */
export function chartResultIds(spec: ChartSpec): number[] {
  const ids = [...new Set(spec.resultIds)]
  const baseline = spec.baselineResultId
  return baseline !== null && !ids.includes(baseline) ? [baseline, ...ids] : ids
}

/** The baseline of a spec's results: `baselineResultId`, else the first result. */
export function baselineOf<P>(spec: ChartSpec, results: LabeledResult<P>[]): LabeledResult<P> {
  const baseline = results.find((r) => r.id === spec.baselineResultId) ?? results[0]
  if (!baseline) throw new ChartDataError(`A '${spec.chart}' chart needs at least one result.`)
  return baseline
}

export function requireKind<P>(
  spec: ChartSpec,
  results: LabeledResult[],
  kind: JobKind,
): LabeledResult<P>[] {
  if (results.length === 0)
    throw new ChartDataError(`A '${spec.chart}' chart needs at least one result.`)
  for (const r of results)
    if (r.kind !== kind)
      throw new ChartDataError(
        `Result ${r.id} is a '${r.kind}' result; a '${spec.chart}' chart draws '${kind}' results.`,
      )
  return results as LabeledResult<P>[]
}

export function stringOption(spec: ChartSpec, name: string, fallback: string): string {
  const value = spec.options[name]
  return value === undefined || value === '' ? fallback : String(value)
}

export function booleanOption(spec: ChartSpec, name: string): boolean {
  const value = spec.options[name]
  return value === true || value === 'true' || value === 1 || value === '1'
}

export function isDifferenceMode(spec: ChartSpec): boolean {
  return spec.options['mode'] === 'difference'
}
