import type { WeightNoiseRequest, WeightNoiseResult } from '../../contract/index.ts'
import type { AnalysisModule } from '../analysis-module.ts'
import { jobKindModule } from '../analysis-module.ts'
import { invalid, isWhole } from '../../request-fields.ts'
import { checkCheckpointJob } from '../checkpoint-job.ts'
import { weightNoiseFromTidy, weightNoiseValues } from './tidy.ts'
import { joinWeightNoiseShards } from './shards.ts'
import { checkShard } from '../../../../native-models/analysis/shared/shard.ts'

const MAX_SIGMA = 10

function checkedShard(shard: { index: number; count: number }) {
  try {
    const { index, count } = checkShard(shard)
    return { index, count }
  } catch (error) {
    return invalid(`shard: ${(error as Error).message}`)
  }
}
const MAX_LEVELS = 20
const MAX_SAMPLES = 100
const MAX_SEED = 900_000

function validate(request: WeightNoiseRequest): WeightNoiseRequest {
  const { sigmas, samples, seed, scope } = request
  if (!Array.isArray(sigmas) || sigmas.length === 0 || sigmas.length > MAX_LEVELS)
    invalid(`sigmas must list 1 to ${MAX_LEVELS} noise levels, got ${JSON.stringify(sigmas)}.`)
  for (const sigma of sigmas)
    if (typeof sigma !== 'number' || !(sigma >= 0 && sigma <= MAX_SIGMA))
      invalid(`Each σ must be a number from 0 to ${MAX_SIGMA}, got ${String(sigma)}.`)
  if (!isWhole(samples, 1, MAX_SAMPLES))
    invalid(`samples must be a whole number from 1 to ${MAX_SAMPLES}, got ${String(samples)}.`)
  if (!isWhole(seed, 0, MAX_SEED))
    invalid(`seed must be a whole number from 0 to ${MAX_SEED}, got ${String(seed)}.`)
  if (scope !== 'weights' && scope !== 'all')
    invalid(`scope must be 'weights' or 'all', got ${String(scope)}.`)
  const sorted = [...new Set(sigmas)].sort((a, b) => a - b)
  const { shard, ...whole } = request
  if (shard === undefined || shard === null) return checkCheckpointJob({ ...whole, sigmas: sorted })
  return checkCheckpointJob({ ...whole, sigmas: sorted, shard: checkedShard(shard) })
}

function headline(result: WeightNoiseResult): Record<string, number> {
  const clean = result.levels.find((level) => level.sigma === 0)
  const noisiest = result.levels.at(-1)
  return {
    ...(clean ? { top1Clean: clean.top1.mean } : {}),
    ...(noisiest ? { top1Noisiest: noisiest.top1.mean, sigmaMax: noisiest.sigma } : {}),
    numImages: result.numImages,
  }
}

/** Accuracy and NLL under multiplicative weight noise (DAMP's ξ ~ N(1, σ²)), mean ± std per σ. */
export const weightNoiseModule: AnalysisModule = {
  name: 'weight-noise',
  jobs: [
    jobKindModule({
      kind: 'weight-noise',
      validate,
      headline,
      tidyValues: weightNoiseValues,
      payloadFromTidy: weightNoiseFromTidy,
      joinShards: joinWeightNoiseShards,
      exampleRequest: (base) => ({
        ...base,
        kind: 'weight-noise',
        sigmas: [0, 0.1],
        samples: 2,
        seed: 0,
        scope: 'weights',
      }),
    }),
  ],
  derived: [],
}
