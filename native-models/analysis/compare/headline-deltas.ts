import type { HeadlineField } from '../../../electron/api/contract/index.ts'

/** One headline number of a result beside the baseline's. */
export interface HeadlineDelta {
  key: string
  value: number | null
  /** value − baseline; null for the baseline itself or when either number is missing. */
  delta: number | null
  /** 'better' / 'worse' by the field's direction; 'neutral' when it has none or they are equal. */
  tone: 'better' | 'worse' | 'neutral'
}

/** The compare-table row of a result against a baseline (null: it is the baseline). */
export function headlineDeltas(
  fields: readonly HeadlineField[],
  headline: Record<string, number>,
  baseline: Record<string, number> | null,
): HeadlineDelta[] {
  return fields.map(({ key, better }) => {
    const value = headline[key] ?? null
    const reference = baseline?.[key] ?? null
    const delta = value === null || reference === null ? null : value - reference
    const isEven = delta === null || better === null || Math.abs(delta) < 1e-12
    const tone = isEven ? 'neutral' : delta > 0 === (better === 'higher') ? 'better' : 'worse'
    return { key, value, delta, tone }
  })
}
