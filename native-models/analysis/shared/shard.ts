/** One of `count` shards, numbered from 0 (Slurm's `--array=0-<n-1>`, Kubernetes' completion index). */
export interface Shard {
  index: number
  count: number
}

/**
 * Refuses a shard that names no part of a partition, with a sentence naming the value and the
 * range; returns it unchanged otherwise.
 */
export function checkShard(shard: Shard): Shard {
  const { index, count } = shard
  if (!Number.isSafeInteger(count) || count < 1)
    throw new RangeError(`The shard count must be a whole number ≥ 1, got ${String(count)}.`)
  if (!Number.isSafeInteger(index) || index < 0 || index >= count)
    throw new RangeError(
      `Shard index ${String(index)} is not one of 0 to ${count - 1} (shards are numbered from 0 for ${count} shard${count === 1 ? '' : 's'}).`,
    )
  return shard
}

/**
 * The units of one shard: unit k (in the order given) belongs to shard k mod count, so the shards
 * are disjoint, their union is every unit, and each shard gets a mix of early and late units.
 * @example shardUnits(['a', 'b', 'c', 'd', 'e'], { index: 1, count: 2 }) // ['b', 'd']
 */
export function shardUnits<T>(units: readonly T[], shard: Shard): T[] {
  const { index, count } = checkShard(shard)
  return units.filter((_, k) => k % count === index)
}

/** Parses 'i/n' (0-based i); RangeError with the accepted form otherwise. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  if (!match)
    throw new RangeError(
      `'${text}' is not a shard: write i/n with 0 ≤ i < n, e.g. 0/4 for the first of four.`,
    )
  return checkShard({ index: Number(match[1]), count: Number(match[2]) })
}
