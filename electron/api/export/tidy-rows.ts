import type {
  ActivationStatsResult,
  EvaluationResult,
  JobKind,
  TapStatistics,
} from '../contract/index.ts'

/** One value of a result and the index columns that say what it is. */
export interface TidyValue {
  quantity: string
  tap?: string
  class?: string
  predictedClass?: string
  bin?: number
  channel?: number
  dim?: number
  value: number | null
}

function evaluationValues(r: EvaluationResult): TidyValue[] {
  const rows: TidyValue[] = [
    { quantity: 'num_images', value: r.numImages },
    { quantity: 'top1', value: r.top1 },
    { quantity: 'top5', value: r.top5 },
    { quantity: 'nll', value: r.nll },
    { quantity: 'ece', value: r.ece },
  ]
  r.classes.forEach((name, i) => rows.push({ quantity: 'class_index', class: name, value: i }))
  r.reliability.forEach((b, bin) => {
    rows.push({ quantity: 'reliability_lower', bin, value: b.lower })
    rows.push({ quantity: 'reliability_upper', bin, value: b.upper })
    rows.push({ quantity: 'reliability_count', bin, value: b.count })
    rows.push({ quantity: 'reliability_accuracy', bin, value: b.accuracy })
    rows.push({ quantity: 'reliability_confidence', bin, value: b.confidence })
  })
  r.confusion.forEach((row, t) =>
    row.forEach((value, p) =>
      rows.push({
        quantity: 'confusion_count',
        class: r.classes[t],
        predictedClass: r.classes[p],
        value,
      }),
    ),
  )
  for (const c of r.perClass) {
    rows.push({ quantity: 'class_count', class: c.name, value: c.count })
    rows.push({ quantity: 'class_accuracy', class: c.name, value: c.accuracy })
  }
  return rows
}

const CHANNEL_QUANTITIES = [
  ['channel_mean', 'mean'],
  ['channel_std', 'std'],
  ['channel_max_abs', 'maxAbs'],
  ['channel_zero_fraction', 'zeroFraction'],
] as const

function tapValues(t: TapStatistics): TidyValue[] {
  const tap = t.key
  const rows: TidyValue[] = t.shape.map((value, dim) => ({
    quantity: 'tap_shape',
    tap,
    dim,
    value,
  }))
  for (const [quantity, field] of CHANNEL_QUANTITIES)
    t[field].forEach((value, channel) => rows.push({ quantity, tap, channel, value }))
  const h = t.histogram
  h.edges.forEach((value, bin) => rows.push({ quantity: 'histogram_edge', tap, bin, value }))
  h.counts.forEach((value, bin) => rows.push({ quantity: 'histogram_count', tap, bin, value }))
  rows.push({ quantity: 'histogram_sampled_values', tap, value: h.sampledValues })
  rows.push({ quantity: 'histogram_total_values', tap, value: h.totalValues })
  return rows
}

/** Every stored value of a result payload as tidy rows (what the CSV exports write). */
export function tidyValues(kind: JobKind, payload: unknown): TidyValue[] {
  if (kind === 'evaluate') return evaluationValues(payload as EvaluationResult)
  const stats = payload as ActivationStatsResult
  return [{ quantity: 'num_images', value: stats.numImages }, ...stats.taps.flatMap(tapValues)]
}

function lookup(rows: TidyValue[]) {
  const byQuantity = new Map<string, TidyValue[]>()
  for (const row of rows)
    byQuantity.set(row.quantity, [...(byQuantity.get(row.quantity) ?? []), row])
  const all = (quantity: string): TidyValue[] => byQuantity.get(quantity) ?? []
  // A stored null stays null: the rows give back exactly what was stored.
  const one = (quantity: string): number => all(quantity)[0]?.value as number
  return { all, one }
}

function evaluationFrom(rows: TidyValue[]): EvaluationResult {
  const { all, one } = lookup(rows)
  const classes = all('class_index')
    .sort((a, b) => a.value! - b.value!)
    .map((r) => r.class ?? '')
  const index = new Map(classes.map((name, i) => [name, i]))
  const confusion = classes.map(() => classes.map(() => 0))
  for (const r of all('confusion_count'))
    confusion[index.get(r.class ?? '')!][index.get(r.predictedClass ?? '')!] = r.value as number
  const bins = all('reliability_lower').map((r) => r.bin!)
  const bin = (quantity: string, b: number): number =>
    all(quantity).find((r) => r.bin === b)?.value as number
  const accuracy = new Map(all('class_accuracy').map((r) => [r.class, r.value as number]))
  return {
    numImages: one('num_images'),
    classes,
    top1: one('top1'),
    top5: one('top5'),
    nll: one('nll'),
    ece: one('ece'),
    reliability: bins.map((b) => ({
      lower: bin('reliability_lower', b),
      upper: bin('reliability_upper', b),
      count: bin('reliability_count', b),
      accuracy: bin('reliability_accuracy', b),
      confidence: bin('reliability_confidence', b),
    })),
    confusion,
    perClass: all('class_count').map((r) => ({
      name: r.class ?? '',
      count: r.value as number,
      accuracy: accuracy.get(r.class) as number,
    })),
  }
}

function tapFrom(key: string, rows: TidyValue[]): TapStatistics {
  const { all, one } = lookup(rows)
  const values = (quantity: string, index: 'dim' | 'channel' | 'bin'): number[] =>
    all(quantity)
      .sort((a, b) => a[index]! - b[index]!)
      .map((r) => r.value as number)
  return {
    key,
    shape: values('tap_shape', 'dim'),
    mean: values('channel_mean', 'channel'),
    std: values('channel_std', 'channel'),
    maxAbs: values('channel_max_abs', 'channel'),
    zeroFraction: values('channel_zero_fraction', 'channel'),
    histogram: {
      edges: values('histogram_edge', 'bin'),
      counts: values('histogram_count', 'bin'),
      sampledValues: one('histogram_sampled_values'),
      totalValues: one('histogram_total_values'),
    },
  }
}

/** The payload back from its tidy rows: the inverse of `tidyValues`. */
export function payloadFromTidy(kind: JobKind, rows: TidyValue[]): unknown {
  if (kind === 'evaluate') return evaluationFrom(rows)
  const keys = [...new Set(rows.filter((r) => r.tap !== undefined).map((r) => r.tap!))]
  return {
    numImages: rows.find((r) => r.quantity === 'num_images' && r.tap === undefined)
      ?.value as number,
    taps: keys.map((key) =>
      tapFrom(
        key,
        rows.filter((r) => r.tap === key),
      ),
    ),
  } satisfies ActivationStatsResult
}
