import { shardUnits } from '../../shared/shard.ts'
import type { Shard } from '../../shared/shard.ts'

export interface NoiseUnit {
  sigma: number
  sample: number
}

/**
 * Every (σ, sample) of a grid in the order a job runs them: σ ascending, one pass at σ = 0 (no
 * noise), `samples` passes at each σ > 0; with a shard, only that shard's part of this order.
 */
export function noisePlan(
  grid: { sigmas: readonly number[]; samples: number },
  shard: Shard | null = null,
): NoiseUnit[] {
  const sigmas = [...new Set(grid.sigmas)].sort((a, b) => a - b)
  const plan = sigmas.flatMap((sigma) =>
    sigma === 0
      ? [{ sigma, sample: 0 }]
      : Array.from({ length: grid.samples }, (_, sample) => ({ sigma, sample })),
  )
  return shard === null ? plan : shardUnits(plan, shard)
}
