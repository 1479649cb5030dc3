import {
  noisePlan,
  summariseNoiseLevels,
} from '../../../../native-models/analysis/robustness/weight-noise/index.ts'
import type { WeightNoiseRequest, WeightNoiseResult } from '../../contract/index.ts'
import { RequestError } from '../../errors.ts'

/**
 * The whole grid's result from the results of all its shards (in shard order): every (σ, sample)
 * of the grid exactly once, summarised as the unsharded job summarises them.
 */
export function joinWeightNoiseShards(
  request: WeightNoiseRequest,
  shards: readonly WeightNoiseResult[],
): WeightNoiseResult {
  const key = (unit: { sigma: number; sample: number }) => `${unit.sigma}/${unit.sample}`
  const byUnit = new Map(shards.flatMap((shard) => shard.samples).map((s) => [key(s), s]))
  const samples = noisePlan(request).map((unit) => {
    const sample = byUnit.get(key(unit))
    if (!sample)
      throw new RequestError(
        'INVALID_ARGUMENT',
        `The stored shards of this weight-noise grid lack σ = ${unit.sigma}, sample ${unit.sample}: compute the missing shard.`,
      )
    return sample
  })
  const [first] = shards
  return {
    numImages: first.numImages,
    scope: first.scope,
    seed: first.seed,
    isBnFolded: first.isBnFolded,
    perturbed: first.perturbed,
    levels: summariseNoiseLevels(samples),
    samples,
  }
}
