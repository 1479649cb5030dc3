import type { DatasetEntry, DatasetRequest } from '../../../../electron/api/contract/index.ts'

export interface DatasetGroup {
  /** The whole split when it is in the library, else its largest selection. */
  main: DatasetEntry
  /** Its other selections (a sample, the first N, a holdout), largest first. */
  selections: DatasetEntry[]
  /** Known class count: the largest any entry reports (an entry a job read may know none). */
  classCount: number
}

const isWhole = (r: DatasetRequest): boolean =>
  r.limit === null && r.sample === null && r.holdout === null

/** One row per folder and split, with its selections beneath it. */
export function datasetGroups(entries: readonly DatasetEntry[]): DatasetGroup[] {
  const byFolder = new Map<string, DatasetEntry[]>()
  for (const entry of entries) {
    const key = `${entry.format}\0${entry.path}\0${entry.split ?? ''}`
    byFolder.set(key, [...(byFolder.get(key) ?? []), entry])
  }
  return [...byFolder.values()].map((members) => {
    const sorted = [...members].sort(
      (a, b) =>
        Number(isWhole(b.request)) - Number(isWhole(a.request)) || b.numImages - a.numImages,
    )
    return {
      main: sorted[0],
      selections: sorted.slice(1),
      classCount: Math.max(...members.map((m) => m.classes.length)),
    }
  })
}

/**
 * 'first 1,000', 'a sample of 2,000 (seed 0)', 'holdout 10 % (seed 0) · first 500', 'all';
 * a slice of a precomputed corrupted set starts with its cell: 'fog · severity 3 · first 500'.
 */
export function selectionText(request: DatasetRequest): string {
  const parts: string[] = []
  const { holdout, sample, limit, corrupted } = request
  if (corrupted) parts.push(`${corrupted.corruption} · severity ${corrupted.severity}`)
  if (holdout) {
    const share = `${Math.round(holdout.fraction * 100)} %`
    parts.push(
      holdout.part === 'holdout'
        ? `holdout ${share} (seed ${holdout.seed})`
        : `all but a ${share} holdout (seed ${holdout.seed})`,
    )
  }
  if (sample) parts.push(`a sample of ${sample.count.toLocaleString('en')} (seed ${sample.seed})`)
  if (limit !== null) parts.push(`first ${limit.toLocaleString('en')}`)
  return parts.length > 0 ? parts.join(' · ') : 'all'
}
