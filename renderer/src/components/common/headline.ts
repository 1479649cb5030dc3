import { JOB_KINDS } from '../../../../electron/api/contract/index.ts'
import type { HeadlineField, JobKind } from '../../../../electron/api/contract/index.ts'
import { fixed, percent, signed } from './format.ts'

/** A kind's headline fields; none for a kind this build does not know. */
export function headlineFields(kind: JobKind): readonly HeadlineField[] {
  return JOB_KINDS[kind]?.headline ?? []
}

/** '12.34 %', '0.4312', '1000'; '–' where the result has no such number (stored before it). */
export function formatHeadline(field: HeadlineField, value: number | undefined): string {
  if (value === undefined) return '–'
  if (field.format === 'percent') return percent(value, field.digits)
  if (field.format === 'number') return fixed(value, field.digits)
  return String(Math.round(value))
}

/** '[90.10, 92.30] %' or '[0.41, 0.45]': a field's stored 95 % interval, '' when it has none. */
export function formatHeadlineInterval(
  field: HeadlineField,
  headline: Record<string, number>,
): string {
  const lower = headline[`${field.key}Lower`]
  const upper = headline[`${field.key}Upper`]
  if (!field.hasInterval || lower === undefined || upper === undefined) return ''
  if (field.format === 'percent')
    return `[${(lower * 100).toFixed(field.digits)}, ${(upper * 100).toFixed(field.digits)}] %`
  return `[${lower.toFixed(field.digits)}, ${upper.toFixed(field.digits)}]`
}

/** A difference to the baseline: percentage points for percentages ('+1.20 pp'). */
export function formatHeadlineDelta(field: HeadlineField, delta: number): string {
  if (field.format === 'percent') return signed(delta * 100, field.digits, ' pp')
  return signed(delta, field.format === 'count' ? 0 : field.digits)
}

/** The listed headline numbers of a result in one line: 'top-1 91.20 % · NLL 0.2931 · ECE 1.10 %'. */
export function listedHeadline(kind: JobKind, headline: Record<string, number>): string {
  return headlineFields(kind)
    .filter((field) => field.isListed && headline[field.key] !== undefined)
    .map((field) => {
      // One digit fewer than tables show: a list line has to fit beside the other columns.
      const digits = Math.max(0, field.digits - 1)
      const value = formatHeadline({ ...field, digits }, headline[field.key])
      if (field.format !== 'count') return `${field.label} ${value}`
      // '18 layers', but 'n = 16' for a symbol.
      return field.label.length <= 2 ? `${field.label} = ${value}` : `${value} ${field.label}`
    })
    .join(' · ')
}
