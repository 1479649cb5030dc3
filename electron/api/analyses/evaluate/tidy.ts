import type { EvaluationIntervals, EvaluationResult } from '../../contract/index.ts'
import { tidyLookup } from '../tidy.ts'
import type { TidyValue } from '../tidy.ts'

const INTERVAL_FIELDS = ['top1', 'top5', 'nll', 'ece'] as const

function intervalValues(intervals: EvaluationIntervals): TidyValue[] {
  return [
    { quantity: 'interval_confidence', value: intervals.confidence },
    { quantity: 'bootstrap_resamples', value: intervals.bootstrap.resamples },
    { quantity: 'bootstrap_seed', value: intervals.bootstrap.seed },
    ...INTERVAL_FIELDS.flatMap((field) => [
      { quantity: `${field}_lower`, value: intervals[field].lower },
      { quantity: `${field}_upper`, value: intervals[field].upper },
    ]),
  ]
}

function intervalsFromTidy(one: (quantity: string) => number): EvaluationIntervals {
  const interval = (field: string) => ({
    lower: one(`${field}_lower`),
    upper: one(`${field}_upper`),
  })
  return {
    confidence: one('interval_confidence'),
    top1: interval('top1'),
    top5: interval('top5'),
    nll: interval('nll'),
    ece: interval('ece'),
    bootstrap: { resamples: one('bootstrap_resamples'), seed: one('bootstrap_seed') },
  }
}

const BIN_FIELDS = [
  ['reliability_lower', 'lower'],
  ['reliability_upper', 'upper'],
  ['reliability_count', 'count'],
  ['reliability_accuracy', 'accuracy'],
  ['reliability_confidence', 'confidence'],
] as const

export function evaluationValues(r: EvaluationResult): TidyValue[] {
  const rows: TidyValue[] = [
    { quantity: 'num_images', value: r.numImages },
    { quantity: 'top1', value: r.top1 },
    { quantity: 'top5', value: r.top5 },
    { quantity: 'nll', value: r.nll },
    { quantity: 'ece', value: r.ece },
    ...(r.intervals ? intervalValues(r.intervals) : []),
  ]
  r.classes.forEach((name, i) => rows.push({ quantity: 'class_index', class: name, value: i }))
  r.reliability.forEach((b, bin) => {
    for (const [quantity, field] of BIN_FIELDS) rows.push({ quantity, bin, value: b[field] })
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

export function evaluationFromTidy(rows: TidyValue[]): EvaluationResult {
  const { all, one, ordered } = tidyLookup(rows)
  const classes = all('class_index')
    .sort((a, b) => a.value! - b.value!)
    .map((r) => r.class ?? '')
  const index = new Map(classes.map((name, i) => [name, i]))
  const confusion = classes.map(() => classes.map(() => 0))
  for (const r of all('confusion_count'))
    confusion[index.get(r.class ?? '')!][index.get(r.predictedClass ?? '')!] = r.value as number
  const bins = Object.fromEntries(BIN_FIELDS.map(([q, field]) => [field, ordered(q, 'bin')]))
  const accuracy = new Map(all('class_accuracy').map((r) => [r.class, r.value as number]))
  const hasIntervals = all('interval_confidence').length > 0
  return {
    numImages: one('num_images'),
    classes,
    top1: one('top1'),
    top5: one('top5'),
    nll: one('nll'),
    ece: one('ece'),
    reliability: bins['lower'].map((lower, b) => ({
      lower,
      upper: bins['upper'][b],
      count: bins['count'][b],
      accuracy: bins['accuracy'][b],
      confidence: bins['confidence'][b],
    })),
    confusion,
    perClass: all('class_count').map((r) => ({
      name: r.class ?? '',
      count: r.value as number,
      accuracy: accuracy.get(r.class) as number,
    })),
    ...(hasIntervals ? { intervals: intervalsFromTidy(one) } : {}),
  }
}
