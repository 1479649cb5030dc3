import type { MetricSeries } from '../../../electron/api/contract/index.ts'

export type MetricRole = 'loss' | 'accuracy' | 'lr'
export type MetricSplit = 'train' | 'val' | 'test'

export interface RoleOfSeries {
  role: MetricRole
  /** null for series that belong to no split (a learning rate). */
  split: MetricSplit | null
}

const SPLIT_WORDS: Record<string, MetricSplit> = {
  train: 'train',
  training: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  dev: 'val',
  eval: 'val',
  test: 'test',
  testing: 'test',
  t10k: 'test',
}

const ROLE_WORDS: Record<string, MetricRole> = {
  loss: 'loss',
  nll: 'loss',
  xent: 'loss',
  acc: 'accuracy',
  accuracy: 'accuracy',
  acc1: 'accuracy',
  top1: 'accuracy',
  lr: 'lr',
}

function words(name: string): string[] {
  return name
    .toLowerCase()
    .replace(/learning[_\s-]?rate/g, 'lr')
    .replace(/top[-_]1/g, 'top1')
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

/**
 * The role a logged series plays, from common names (train_loss, val_acc, test_top1, lr_end,
 * accuracy with split "test", ...); null for anything else (top-5, gradient norms, ...).
 */
export function roleOfSeries(name: string, split: string | null): RoleOfSeries | null {
  if (name.startsWith('grad_norms/')) return null
  const tokens = words(name)
  const roles = new Set(tokens.map((t) => ROLE_WORDS[t]).filter((r) => r !== undefined))
  if (roles.size !== 1) return null
  const [role] = roles
  if (role === 'lr') return { role, split: null }
  const fromField = split === null ? undefined : SPLIT_WORDS[split.toLowerCase()]
  const fromName = tokens.map((t) => SPLIT_WORDS[t]).find((s) => s !== undefined)
  return { role, split: fromField ?? fromName ?? null }
}

/** The words that give a series `role` (train_loss, test/Top-1, lr_end, ...), for messages. */
export function roleWords(role: MetricRole): string[] {
  const words = Object.keys(ROLE_WORDS).filter((word) => ROLE_WORDS[word] === role)
  return role === 'lr' ? [...words, 'learning_rate'] : words
}

/**
 * The split a series belongs to: its split field (train, val or test when it is a known word for
 * one, else as logged), else the split its name says (test_acc → test), else null.
 */
export function splitOfSeries(name: string, split: string | null): string | null {
  if (split !== null) return SPLIT_WORDS[split.toLowerCase()] ?? split
  return (
    words(name)
      .map((t) => SPLIT_WORDS[t])
      .find((s) => s !== undefined) ?? null
  )
}

/** An accuracy logged in percent (any value above 1) as a fraction, else the value itself. */
export function asFraction(series: MetricSeries, value: number): number {
  return series.points.some((p) => p.value > 1) ? value / 100 : value
}

/** Explicit choices (run.json `metricRoles`): "accuracy/test" → a series name. */
export type RoleOverrides = Record<string, string>

export function roleKey(role: MetricRole, split: MetricSplit | null): string {
  return split === null ? role : `${role}/${split}`
}

/**
 * The series playing `role` (for each split), one per split: an override first, else the
 * inferred series with the fewest extra words in its name (then the first by name).
 */
export function seriesOfRole(
  metrics: readonly MetricSeries[],
  role: MetricRole,
  overrides: RoleOverrides = {},
): Map<MetricSplit | null, MetricSeries> {
  const found = new Map<MetricSplit | null, MetricSeries>()
  const ranked = metrics
    .map((series) => ({ series, inferred: roleOfSeries(series.name, series.split) }))
    .filter(({ inferred }) => inferred?.role === role)
    .sort(
      (a, b) =>
        words(a.series.name).length - words(b.series.name).length ||
        a.series.name.localeCompare(b.series.name),
    )
  for (const { series, inferred } of ranked) {
    if (!found.has(inferred!.split)) found.set(inferred!.split, series)
  }
  for (const [key, name] of Object.entries(overrides)) {
    const [overriddenRole, split = null] = key.split('/') as [string, MetricSplit?]
    if (overriddenRole !== role) continue
    const series = metrics.find((m) => m.name === name)
    if (series) found.set(split, series)
  }
  return found
}

/**
 * The held-out split a role is reported on: test when a series of the role is logged for it,
 * else val, else null.
 */
export function evaluationSplit(
  metrics: readonly MetricSeries[],
  role: MetricRole,
  overrides: RoleOverrides = {},
): 'test' | 'val' | null {
  const found = seriesOfRole(metrics, role, overrides)
  return found.has('test') ? 'test' : found.has('val') ? 'val' : null
}

/** The logged value of a role at an epoch (the last logged in that epoch), or null. */
export function loggedAt(
  metrics: readonly MetricSeries[],
  role: MetricRole,
  split: MetricSplit | null,
  epoch: number,
  overrides: RoleOverrides = {},
): number | null {
  const series = seriesOfRole(metrics, role, overrides).get(split)
  return series?.points.filter((p) => p.epoch === epoch).at(-1)?.value ?? null
}
