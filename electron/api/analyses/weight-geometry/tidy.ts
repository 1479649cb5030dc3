import type { LayerGeometry, WeightGeometryResult } from '../../contract/index.ts'
import { tidyLookup } from '../tidy.ts'
import type { TidyValue } from '../tidy.ts'

// A layer's rows carry `channel` = its index and `tap` = its layer key; its singular values also
// `dim` = their rank. An unmapped weight's parameter key (null) has no row.

const NUMBERS = [
  ['depth', 'depth'],
  ['rows', 'rows'],
  ['columns', 'columns'],
  ['frobenius', 'frobenius'],
  ['orthogonality', 'orthogonality'],
  ['regularizer', 'regularizer'],
  ['regularizer_floor', 'regularizerFloor'],
  ['mean_abs_cos', 'meanAbsCos'],
  ['stable_rank', 'stableRank'],
  ['effective_rank', 'effectiveRank'],
] as const satisfies readonly (readonly [string, keyof LayerGeometry])[]

function layerRows(layer: LayerGeometry, channel: number): TidyValue[] {
  const at = { channel, tap: layer.layerKey }
  return [
    { quantity: 'weight', ...at, text: layer.initializer, value: null },
    ...(layer.parameterKey === null
      ? []
      : [{ quantity: 'parameter_key', ...at, text: layer.parameterKey, value: null }]),
    { quantity: 'op_type', ...at, text: layer.opType, value: null },
    { quantity: 'shape', ...at, text: JSON.stringify(layer.shape), value: null },
    ...NUMBERS.map(([quantity, field]) => ({ quantity, ...at, value: layer[field] })),
    ...layer.singularValues.map((value, dim) => ({
      quantity: 'singular_value',
      ...at,
      dim,
      value,
    })),
  ]
}

/** Every stored value as rows: the summary and timings, then one block per weight. */
export function weightGeometryValues(result: WeightGeometryResult): TidyValue[] {
  const { summary, timings } = result
  return [
    { quantity: 'is_bn_folded', value: result.isBnFolded ? 1 : 0 },
    { quantity: 'summary_orthogonality', value: summary.orthogonality },
    { quantity: 'summary_mean_abs_cos', value: summary.meanAbsCos },
    { quantity: 'summary_effective_rank_ratio', value: summary.effectiveRankRatio },
    { quantity: 'grams_ms', value: timings.grams },
    { quantity: 'eigen_ms', value: timings.eigen },
    { quantity: 'total_ms', value: timings.total },
    ...result.layers.flatMap(layerRows),
  ]
}

export function weightGeometryFromTidy(rows: TidyValue[]): WeightGeometryResult {
  const { all, one } = tidyLookup(rows)
  const at = (quantity: string, channel: number): TidyValue | undefined =>
    all(quantity).find((row) => row.channel === channel)
  const layers = all('weight')
    .sort((a, b) => a.channel! - b.channel!)
    .map(({ channel, tap, text }): LayerGeometry => {
      const numbers = Object.fromEntries(
        NUMBERS.map(([quantity, field]) => [field, at(quantity, channel!)?.value as number]),
      ) as Pick<LayerGeometry, (typeof NUMBERS)[number][1]>
      return {
        initializer: text ?? '',
        parameterKey: at('parameter_key', channel!)?.text ?? null,
        layerKey: tap ?? '',
        opType: at('op_type', channel!)?.text ?? '',
        shape: JSON.parse(at('shape', channel!)?.text ?? '[]') as number[],
        ...numbers,
        singularValues: all('singular_value')
          .filter((row) => row.channel === channel)
          .sort((a, b) => a.dim! - b.dim!)
          .map((row) => row.value as number),
      }
    })
  return {
    isBnFolded: one('is_bn_folded') === 1,
    layers,
    summary: {
      orthogonality: one('summary_orthogonality'),
      meanAbsCos: one('summary_mean_abs_cos'),
      effectiveRankRatio: one('summary_effective_rank_ratio'),
    },
    timings: { grams: one('grams_ms'), eigen: one('eigen_ms'), total: one('total_ms') },
  }
}
