import type { MetricSeries } from '../../../electron/api/contract/index.ts'
import { splitOfSeries } from './metric-roles.ts'

/** One logged scalar: a series name and the split field it was logged with. */
export interface ScalarKey {
  name: string
  split: string | null
}

export interface ScalarGroup {
  /** The name prefix, or the split ('no split' for series that name none). */
  title: string
  scalars: ScalarKey[]
}

export type ScalarGrouping = 'prefix' | 'split'

const GRAD_NORMS = 'grad_norms/'
const NO_SPLIT = 'no split'

export const isGradNorm = (name: string): boolean => name.startsWith(GRAD_NORMS)

/** A stable key for selections: the name and the split, which no name contains. */
export function scalarId(key: ScalarKey): string {
  return `${key.name}\u0000${key.split ?? ''}`
}

/** 'loss · train' for a series logged with a split field, else the name. */
export function scalarLabel(key: ScalarKey): string {
  return key.split === null ? key.name : `${key.name} · ${key.split}`
}

function byName(a: ScalarKey, b: ScalarKey): number {
  return a.name.localeCompare(b.name) || (a.split ?? '').localeCompare(b.split ?? '')
}

/**
 * Every scalar the runs log, once each, sorted by name then split; gradient norms are left out
 * (the gradient-norm panel draws them).
 */
export function scalarKeys(metricsOfRuns: readonly (readonly MetricSeries[])[]): ScalarKey[] {
  const keys = new Map<string, ScalarKey>()
  for (const metrics of metricsOfRuns)
    for (const { name, split } of metrics)
      if (!isGradNorm(name)) keys.set(scalarId({ name, split }), { name, split })
  return [...keys.values()].sort(byName)
}

/** The text before the first '/' or '_': train_loss → train, eval/top1 → eval, lr → lr. */
export function namePrefix(name: string): string {
  const cut = name.search(/[/_]/)
  return cut > 0 ? name.slice(0, cut) : name
}

/**
 * The scalars in groups sorted by title, by name prefix or by split (the split field, else the
 * split the name says, as in test_acc; 'no split' last).
 */
export function groupScalars(keys: readonly ScalarKey[], by: ScalarGrouping): ScalarGroup[] {
  const groups = new Map<string, ScalarKey[]>()
  for (const key of keys) {
    const title =
      by === 'prefix' ? namePrefix(key.name) : (splitOfSeries(key.name, key.split) ?? NO_SPLIT)
    groups.set(title, [...(groups.get(title) ?? []), key])
  }
  const rank = (title: string): number => (by === 'split' && title === NO_SPLIT ? 1 : 0)
  return [...groups]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([title, scalars]) => ({ title, scalars: scalars.sort(byName) }))
}

/**
 * Whether a scalar matches a filter: every whitespace-separated word of `query` occurs in its
 * label ('name · split'), ignoring case; an empty query matches everything.
 */
export function matchesQuery(key: ScalarKey, query: string): boolean {
  const label = scalarLabel(key).toLowerCase()
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => label.includes(word))
}

export function filterScalars(keys: readonly ScalarKey[], query: string): ScalarKey[] {
  return keys.filter((key) => matchesQuery(key, query))
}
