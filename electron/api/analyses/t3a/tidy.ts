import type {
  CorruptionCell,
  FeatureSource,
  T3aDomainResult,
  T3aFilter,
  T3aFilterResult,
  T3aResult,
} from '../../contract/index.ts'
import { tidyLookup } from '../tidy.ts'
import type { TidyValue } from '../tidy.ts'

// Rows of a domain carry `channel` = domain index; of a filter also `dim` = filter index; of the
// support evolution also `bin` = the thinned batch's index (and `class` for counts).

const cellText = (cell: CorruptionCell | null): string =>
  cell === null ? '' : JSON.stringify(cell)
const cellOf = (text: string): CorruptionCell | null =>
  text === '' ? null : (JSON.parse(text) as CorruptionCell)

function domainRows(domain: T3aDomainResult, channel: number): TidyValue[] {
  const { base, features } = domain
  const rows: TidyValue[] = [
    { quantity: 'domain_label', channel, text: domain.label, value: null },
    { quantity: 'domain_corruption', channel, text: cellText(domain.corruption), value: null },
    { quantity: 'domain_images', channel, value: domain.numImages },
    { quantity: 'domain_predicted', channel, value: domain.predicted },
    { quantity: 'base_accuracy', channel, value: base.accuracy },
    { quantity: 'base_lower', channel, value: base.interval.lower },
    { quantity: 'base_upper', channel, value: base.interval.upper },
    { quantity: 'base_mean_entropy', channel, value: base.meanEntropy },
    { quantity: 'features_cache', channel, text: features.cache, value: null },
    { quantity: 'features_forward_passes', channel, value: features.forwardPasses },
    { quantity: 'features_images', channel, value: features.numImages },
    { quantity: 'features_dim', channel, value: features.dim },
  ]
  domain.filters.forEach((filter, dim) => rows.push(...filterRows(filter, channel, dim)))
  return rows
}

function filterRows(filter: T3aFilterResult, channel: number, dim: number): TidyValue[] {
  const at = { channel, dim }
  const rows: TidyValue[] = [
    { quantity: 't3a_filter', ...at, text: String(filter.filter), value: null },
    { quantity: 't3a_accuracy', ...at, value: filter.accuracy },
    { quantity: 't3a_lower', ...at, value: filter.interval.lower },
    { quantity: 't3a_upper', ...at, value: filter.interval.upper },
    { quantity: 'delta', ...at, value: filter.delta.value },
    { quantity: 'delta_lower', ...at, value: filter.delta.interval.lower },
    { quantity: 'delta_upper', ...at, value: filter.delta.interval.upper },
    { quantity: 'mcnemar_p', ...at, value: filter.delta.mcnemarP },
    { quantity: 't3a_mean_entropy', ...at, value: filter.meanEntropy },
  ]
  const { batches, counts, meanEntropy } = filter.supports
  batches.forEach((batch, bin) => {
    rows.push({ quantity: 'support_batch', ...at, bin, value: batch })
    rows.push({ quantity: 'support_mean_entropy', ...at, bin, value: meanEntropy[bin] })
    counts[bin].forEach((count, k) =>
      rows.push({ quantity: 'support_count', ...at, bin, class: String(k), value: count }),
    )
  })
  return rows
}

/** Every stored value as rows: one block per domain, one per (domain, filter M). */
export function t3aValues(result: T3aResult): TidyValue[] {
  const order = result.order
  return [
    ...result.classes.map((name, dim) => ({
      quantity: 'class_name',
      dim,
      text: name,
      value: null,
    })),
    { quantity: 'dim', value: result.dim },
    { quantity: 'stream_batch', value: result.streamBatch },
    { quantity: 'order', text: order.kind, value: order.kind === 'shuffle' ? order.seed : null },
    { quantity: 'last_partial_batch', text: result.lastPartialBatch, value: null },
    { quantity: 'all_behaviour', text: result.allBehaviour, value: null },
    { quantity: 'adapt_ms', value: result.adaptMs },
    ...result.domains.flatMap(domainRows),
  ]
}

const filterOf = (text: string): T3aFilter => (text === 'all' ? 'all' : Number(text))

export function t3aFromTidy(rows: TidyValue[]): T3aResult {
  const { one, text, all } = tidyLookup(rows)
  const at = (quantity: string, channel: number, dim?: number): TidyValue[] =>
    all(quantity).filter((r) => r.channel === channel && (dim === undefined || r.dim === dim))
  const num = (quantity: string, channel: number, dim?: number): number =>
    at(quantity, channel, dim)[0]?.value as number
  const word = (quantity: string, channel: number, dim?: number): string =>
    at(quantity, channel, dim)[0]?.text ?? ''
  const byBin = (a: TidyValue, b: TidyValue) => a.bin! - b.bin!
  const filterAt = (channel: number, dim: number): T3aFilterResult => {
    const batches = at('support_batch', channel, dim).sort(byBin)
    const counts = at('support_count', channel, dim)
    return {
      filter: filterOf(word('t3a_filter', channel, dim)),
      accuracy: num('t3a_accuracy', channel, dim),
      interval: { lower: num('t3a_lower', channel, dim), upper: num('t3a_upper', channel, dim) },
      delta: {
        value: num('delta', channel, dim),
        interval: {
          lower: num('delta_lower', channel, dim),
          upper: num('delta_upper', channel, dim),
        },
        mcnemarP: num('mcnemar_p', channel, dim),
      },
      meanEntropy: num('t3a_mean_entropy', channel, dim),
      supports: {
        batches: batches.map((r) => r.value as number),
        meanEntropy: at('support_mean_entropy', channel, dim)
          .sort(byBin)
          .map((r) => r.value as number),
        counts: batches.map((b) =>
          counts
            .filter((r) => r.bin === b.bin)
            .sort((x, y) => Number(x.class) - Number(y.class))
            .map((r) => r.value as number),
        ),
      },
    }
  }
  const domains = all('domain_label')
    .map((r) => r.channel!)
    .sort((a, b) => a - b)
    .map((channel): T3aDomainResult => {
      const dims = at('t3a_filter', channel)
        .map((r) => r.dim!)
        .sort((a, b) => a - b)
      const features: FeatureSource = {
        cache: word('features_cache', channel) === 'hit' ? 'hit' : 'computed',
        forwardPasses: num('features_forward_passes', channel),
        numImages: num('features_images', channel),
        dim: num('features_dim', channel),
        corruption: cellOf(word('domain_corruption', channel)),
      }
      return {
        label: word('domain_label', channel),
        corruption: features.corruption,
        numImages: num('domain_images', channel),
        predicted: num('domain_predicted', channel),
        base: {
          accuracy: num('base_accuracy', channel),
          interval: { lower: num('base_lower', channel), upper: num('base_upper', channel) },
          meanEntropy: num('base_mean_entropy', channel),
        },
        filters: dims.map((dim) => filterAt(channel, dim)),
        features,
      }
    })
  const orderKind = text('order')
  return {
    classes: all('class_name')
      .sort((a, b) => a.dim! - b.dim!)
      .map((r) => r.text ?? ''),
    dim: one('dim'),
    streamBatch: one('stream_batch'),
    order: orderKind === 'dataset' ? { kind: 'dataset' } : { kind: 'shuffle', seed: one('order') },
    lastPartialBatch: text('last_partial_batch') === 'drop' ? 'drop' : 'predict',
    allBehaviour:
      text('all_behaviour') === 'reference-drops-highest-entropy'
        ? 'reference-drops-highest-entropy'
        : 'keep-every-support',
    domains,
    adaptMs: one('adapt_ms'),
  }
}
