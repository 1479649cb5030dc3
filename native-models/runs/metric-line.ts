import { RunFolderError } from './errors.ts'
import { isPlainObject, preview } from './messages.ts'
import type { MetricRow } from './types.ts'

const KEYS_THAT_ARE_NOT_SERIES = new Set(['epoch', 'step', 'split'])
const GRAD_NORMS = 'grad_norms'

/** Where a line came from, and the non-numeric field names met so far (reported once). */
export interface LineContext {
  file: string
  line: number
  ignoredFields: Set<string>
}

export function malformedLine(context: LineContext, problem: string): RunFolderError {
  return new RunFolderError(
    'METRICS_MALFORMED',
    `'${context.file}' line ${context.line} ${problem}: fix or delete that line, then import again.`,
  )
}

function readEpoch(value: unknown, context: LineContext): number {
  if (value === undefined) throw malformedLine(context, "has no 'epoch' (an integer ≥ 0)")
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value
  throw malformedLine(context, `has 'epoch' ${preview(value)}, not an integer ≥ 0`)
}

function readStep(value: unknown, context: LineContext): number | null {
  if (value === undefined || value === null) return null
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value
  throw malformedLine(context, `has 'step' ${preview(value)}, not an integer`)
}

function readSplit(value: unknown, context: LineContext): string | null {
  if (value === undefined || value === null) return null
  if (typeof value === 'string') return value
  throw malformedLine(context, `has 'split' ${preview(value)}, not a string such as "train"`)
}

/** The finite number a field holds, or null (and noted) when it holds something else. */
function numericValue(name: string, value: unknown, context: LineContext): number | null {
  if (typeof value !== 'number') {
    context.ignoredFields.add(name)
    return null
  }
  if (!Number.isFinite(value)) throw malformedLine(context, `has a non-finite '${name}'`)
  return value
}

function gradNormEntries(value: unknown, context: LineContext): [string, unknown][] {
  if (isPlainObject(value)) {
    return Object.entries(value).map(([param, norm]) => [`${GRAD_NORMS}/${param}`, norm])
  }
  throw malformedLine(
    context,
    `has '${GRAD_NORMS}' ${preview(value)}, not an object of parameter name → number`,
  )
}

/**
 * The metric rows of one parsed metrics.jsonl line: one per numeric field, one per `grad_norms`
 * entry. Throws METRICS_MALFORMED for a bad epoch, step, split or a non-finite number.
 */
export function metricRowsOfLine(value: unknown, context: LineContext): MetricRow[] {
  if (!isPlainObject(value)) throw malformedLine(context, 'is not a JSON object')
  const epoch = readEpoch(value.epoch, context)
  const step = readStep(value.step, context)
  const split = readSplit(value.split, context)
  const fields = Object.entries(value).flatMap(([key, field]): [string, unknown][] => {
    if (KEYS_THAT_ARE_NOT_SERIES.has(key)) return []
    return key === GRAD_NORMS ? gradNormEntries(field, context) : [[key, field]]
  })
  const rows: MetricRow[] = []
  for (const [name, field] of fields) {
    const number = numericValue(name, field, context)
    if (number !== null) rows.push({ epoch, step, split, name, value: number })
  }
  return rows
}
