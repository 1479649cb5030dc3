import { summariseNoiseLevels } from '../../../../native-models/analysis/robustness/weight-noise/index.ts'
import type { WeightNoiseResult, WeightNoiseSample } from '../../contract/index.ts'
import { tidyLookup } from '../tidy.ts'
import type { TidyValue } from '../tidy.ts'

const SAMPLE_QUANTITIES = [
  ['sample_sigma', 'sigma'],
  ['sample_index', 'sample'],
  ['sample_top1', 'top1'],
  ['sample_top5', 'top5'],
  ['sample_nll', 'nll'],
] as const

/** Every noise sample as rows (dim = its position); the per-σ summaries follow from them. */
export function weightNoiseValues(result: WeightNoiseResult): TidyValue[] {
  const rows: TidyValue[] = [
    { quantity: 'num_images', value: result.numImages },
    { quantity: 'seed', value: result.seed },
    { quantity: 'scope', text: result.scope, value: null },
    { quantity: 'is_bn_folded', value: result.isBnFolded ? 1 : 0 },
    { quantity: 'perturbed_tensors', value: result.perturbed.tensors },
    { quantity: 'perturbed_parameters', value: result.perturbed.parameters },
  ]
  result.samples.forEach((sample, dim) => {
    for (const [quantity, field] of SAMPLE_QUANTITIES)
      rows.push({ quantity, dim, value: sample[field] })
  })
  return rows
}

export function weightNoiseFromTidy(rows: TidyValue[]): WeightNoiseResult {
  const { one, text, ordered } = tidyLookup(rows)
  const columns = Object.fromEntries(
    SAMPLE_QUANTITIES.map(([quantity, field]) => [field, ordered(quantity, 'dim')]),
  ) as Record<keyof WeightNoiseSample, number[]>
  const samples: WeightNoiseSample[] = columns.sigma.map((sigma, i) => ({
    sigma,
    sample: columns.sample[i],
    top1: columns.top1[i],
    top5: columns.top5[i],
    nll: columns.nll[i],
  }))
  return {
    numImages: one('num_images'),
    scope: text('scope') === 'all' ? 'all' : 'weights',
    seed: one('seed'),
    isBnFolded: one('is_bn_folded') === 1,
    perturbed: { tensors: one('perturbed_tensors'), parameters: one('perturbed_parameters') },
    levels: summariseNoiseLevels(samples),
    samples,
  }
}
