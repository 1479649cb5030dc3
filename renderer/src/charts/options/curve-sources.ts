import type { MetricSeries, RunDetail } from '../../../../electron/api/contract/index.ts'
import {
  isGradNorm,
  roleWords,
  seriesOfRole,
} from '../../../../native-models/analysis/metrics/index.ts'
import type { MetricRole } from '../../../../native-models/analysis/metrics/index.ts'
import { ChartDataError, stringOption } from './chart-data.ts'
import type { ChartSpec } from './chart-data.ts'

const ROLES: readonly MetricRole[] = ['loss', 'accuracy', 'lr']
const ROLE_TITLES: Record<MetricRole, string> = {
  loss: 'loss',
  accuracy: 'accuracy',
  lr: 'learning rate',
}
const ROLE_EXAMPLES: Record<MetricRole, string> = {
  loss: 'loss, train_loss, val/nll',
  accuracy: 'accuracy, test_acc, val_top1',
  lr: 'lr, lr_end, learning_rate',
}
const SPLIT_ORDER = ['train', 'val', 'test']

/** One split a chart draws, with the series each run logs for it. */
export interface CurveSplit {
  split: string | null
  /** Run id → its series of this split; runs that do not log it are absent. */
  series: Map<number, MetricSeries>
}

/** What a 'metric-curves' spec draws from each run. */
export interface CurveSources {
  /** The axis name: the metric, or the role ('loss', 'accuracy', 'learning rate'). */
  label: string
  splits: CurveSplit[]
  /** Runs that log none of the drawn series. */
  missing: RunDetail[]
  /** Runs that log some of the drawn splits but not all: run → the splits they lack. */
  partial: { run: RunDetail; splits: (string | null)[] }[]
}

/** The spec's role (option `role`), or null when it names a metric; the default is accuracy. */
export function roleOption(spec: ChartSpec): MetricRole | null {
  const role = spec.options['role']
  if (role === undefined || role === '')
    return spec.options['metric'] === undefined ? 'accuracy' : null
  if (!ROLES.includes(role as MetricRole))
    throw new ChartDataError(`Unknown metric role '${String(role)}': use ${ROLES.join(', ')}.`)
  return role as MetricRole
}

function splitRank(split: string | null): number {
  const i = split === null ? -1 : SPLIT_ORDER.indexOf(split)
  return i < 0 ? SPLIT_ORDER.length + (split === null ? 1 : 0) : i
}

function seriesBySplit(run: RunDetail, role: MetricRole | null, metric: string) {
  if (role !== null)
    return seriesOfRole(run.metrics, role, run.metricRoles ?? {}) as Map<
      string | null,
      MetricSeries
    >
  const found = new Map<string | null, MetricSeries>()
  for (const m of run.metrics) if (m.name === metric && !found.has(m.split)) found.set(m.split, m)
  return found
}

function loggedNames(runs: RunDetail[]): string {
  const names = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.name)))]
  const shown = names.filter((n) => !isGradNorm(n))
  if (shown.length === 0) return 'no metrics are logged'
  const more = shown.length > 8 ? `, … (${shown.length} in all)` : ''
  return `logged: ${shown.slice(0, 8).join(', ')}${more}`
}

function noneLogged(role: MetricRole | null, metric: string, runs: RunDetail[]): ChartDataError {
  const what = role === null ? `metric named '${metric}'` : ROLE_TITLES[role]
  const article = role === 'accuracy' ? 'an' : 'a'
  const subject =
    runs.length === 1
      ? `Run '${runs[0].name}' logs no ${what}`
      : `None of the runs logs ${article} ${what}`
  if (role === null) return new ChartDataError(`${subject}.`)
  const words = roleWords(role).join(', ')
  const splits = role === 'lr' ? '' : ', alone or with train, val or test'
  return new ChartDataError(
    `${subject}: looked for names with the word ${words}${splits} ` +
      `(${ROLE_EXAMPLES[role]}); ${loggedNames(runs)}.`,
  )
}

/**
 * The series a spec draws: by role (option `role`: each run's loss, accuracy or learning rate,
 * whatever it is named) or by name (option `metric`), restricted to option `split` when given.
 * Throws a ChartDataError naming what was looked for when no run logs any.
 */
export function curveSources(spec: ChartSpec, runs: RunDetail[]): CurveSources {
  const role = roleOption(spec)
  const metric = stringOption(spec, 'metric', 'accuracy')
  const split = spec.options['split'] === undefined ? null : String(spec.options['split'])
  const found = new Map(runs.map((run) => [run.id, seriesBySplit(run, role, metric)]))
  const logged = [...new Set([...found.values()].flatMap((bySplit) => [...bySplit.keys()]))]
  if (logged.length === 0) throw noneLogged(role, metric, runs)
  if (split !== null && !logged.includes(split))
    throw new ChartDataError(
      `No run logs '${role ?? metric}' on the '${split}' split (logged: ${logged.map(String).join(', ')}).`,
    )
  const drawn = split === null ? logged.sort((a, b) => splitRank(a) - splitRank(b)) : [split]
  const splits = drawn.map((s) => ({
    split: s,
    series: new Map(
      runs.flatMap((run) => {
        const series = found.get(run.id)?.get(s)
        return series ? [[run.id, series] as const] : []
      }),
    ),
  }))
  const lacking = runs.map((run) => ({
    run,
    splits: splits.filter((s) => !s.series.has(run.id)).map((s) => s.split),
  }))
  return {
    label: role === null ? metric : ROLE_TITLES[role],
    splits,
    missing: lacking.filter((l) => l.splits.length === splits.length).map((l) => l.run),
    partial: lacking.filter((l) => l.splits.length > 0 && l.splits.length < splits.length),
  }
}

/**
 * One line naming the runs a chart lacks ('not logged by: run-b · test not logged by: run-c'),
 * or '' when every run logs every drawn series.
 */
export function missingNote(sources: CurveSources): string {
  const parts: string[] = []
  if (sources.missing.length > 0)
    parts.push(`not logged by: ${sources.missing.map((r) => r.name).join(', ')}`)
  const bySplits = new Map<string, string[]>()
  for (const { run, splits } of sources.partial) {
    const key = splits.map((s) => s ?? 'no split').join(', ')
    bySplits.set(key, [...(bySplits.get(key) ?? []), run.name])
  }
  for (const [splits, names] of bySplits) parts.push(`${splits} not logged by: ${names.join(', ')}`)
  return parts.join(' · ')
}

export type CurveLineType = 'solid' | 'dashed' | 'dotted'

/** Train dotted; validation dashed next to a test split; everything else solid. */
export function lineTypeOf(split: string | null, sources: CurveSources): CurveLineType {
  if (sources.splits.length < 2) return 'solid'
  if (split === 'train') return 'dotted'
  if (split === 'val' && sources.splits.some((s) => s.split === 'test')) return 'dashed'
  return 'solid'
}

/** The names the runs log for a split ('train_loss', or 'loss (train)' for a split field). */
export function splitNames(curve: CurveSplit): string[] {
  const label = (m: MetricSeries): string => (m.split === null ? m.name : `${m.name} (${m.split})`)
  return [...new Set([...curve.series.values()].map(label))]
}

/** What each line is: 'train_loss dotted · loss (test) solid', or the one series' name. */
export function styleNote(sources: CurveSources): string {
  return sources.splits
    .map((curve) => {
      const names = splitNames(curve).join(' / ')
      return sources.splits.length > 1 ? `${names} ${lineTypeOf(curve.split, sources)}` : names
    })
    .join(' · ')
}
