/** Mean and sample standard deviation (n − 1) of one number across the runs of a group. */
export interface MeanStd {
  mean: number
  /** null with fewer than two runs. */
  std: number | null
}

/** One checkpoint's sweep summary, as a run group averages it. */
export interface SweepNumbers {
  cleanError: number
  meanCorruptedAccuracy: number
  mce: number | null
  relativeMce: number | null
  /** Mean error over the severities, per corruption. */
  perCorruptionError: ReadonlyMap<string, number>
}

export interface GroupSpread {
  count: number
  cleanError: MeanStd
  meanCorruptedAccuracy: MeanStd
  /** null when any member has no mCE (no reference). */
  mce: MeanStd | null
  relativeMce: MeanStd | null
  /** The corruptions every member has, in the first member's order. */
  perCorruptionError: { corruption: string; error: MeanStd }[]
}

/** Mean and sample std; the std is null for one value. */
export function meanStd(values: readonly number[]): MeanStd {
  if (values.length === 0) throw new RangeError('meanStd needs at least one value.')
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length
  if (values.length < 2) return { mean, std: null }
  const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0)
  return { mean, std: Math.sqrt(squares / (values.length - 1)) }
}

function optionalSpread(values: readonly (number | null)[]): MeanStd | null {
  return values.every((v): v is number => v !== null) ? meanStd(values) : null
}

/**
 * Mean ± std across the runs of a group (e.g. the seeds of one configuration) of each summary
 * number of a sweep: the spread is between runs, not the sampling error of one evaluation.
 * @example groupSpread([seed0, seed1]).mce // { mean: 0.93, std: 0.02 }
 */
export function groupSpread(members: readonly SweepNumbers[]): GroupSpread {
  const first = members[0]
  if (!first) throw new RangeError('A run group needs at least one member.')
  const corruptions = [...first.perCorruptionError.keys()].filter((name) =>
    members.every((m) => m.perCorruptionError.has(name)),
  )
  return {
    count: members.length,
    cleanError: meanStd(members.map((m) => m.cleanError)),
    meanCorruptedAccuracy: meanStd(members.map((m) => m.meanCorruptedAccuracy)),
    mce: optionalSpread(members.map((m) => m.mce)),
    relativeMce: optionalSpread(members.map((m) => m.relativeMce)),
    perCorruptionError: corruptions.map((corruption) => ({
      corruption,
      error: meanStd(members.map((m) => m.perCorruptionError.get(corruption)!)),
    })),
  }
}

/** What decides a swept checkpoint's run group. */
export interface GroupableCheckpoint {
  checkpointId: number
  runId: number | null
  tags: readonly string[]
  epoch: number | null
  variant: string
}

export interface CheckpointGroup {
  /** The tag, or null for a checkpoint that stands alone. */
  tag: string | null
  epoch: number | null
  variant: string
  checkpointIds: number[]
  /** Distinct runs in the group. */
  runCount: number
}

/**
 * A run group as the CKA view has them: the runs carrying one tag (e.g. the seeds of one
 * configuration). Checkpoints of those runs at the same epoch and export variant form one group;
 * every other checkpoint stands alone. Groups keep the order of their first checkpoint.
 */
export function groupByTag(
  checkpoints: readonly GroupableCheckpoint[],
  tag: string | null,
): CheckpointGroup[] {
  const groups = new Map<string, CheckpointGroup & { runs: Set<number | null> }>()
  for (const c of checkpoints) {
    const isMember = tag !== null && c.tags.includes(tag)
    const key = isMember ? `${c.epoch ?? ''}:${c.variant}` : `alone:${c.checkpointId}`
    const group = groups.get(key) ?? {
      tag: isMember ? tag : null,
      epoch: c.epoch,
      variant: c.variant,
      checkpointIds: [],
      runCount: 0,
      runs: new Set<number | null>(),
    }
    group.checkpointIds.push(c.checkpointId)
    group.runs.add(c.runId)
    groups.set(key, group)
  }
  return [...groups.values()].map(({ runs, ...group }) => ({ ...group, runCount: runs.size }))
}
