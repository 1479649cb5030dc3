import { describe, expect, it } from 'vitest'
import type { HeadlineField } from '../../../electron/api/contract/index.ts'
import { headlineDeltas } from '../../../native-models/analysis/compare/headline-deltas.ts'

const field = (key: string, better: HeadlineField['better']): HeadlineField => ({
  key,
  label: key,
  format: 'number',
  digits: 2,
  better,
  isListed: true,
})
const fields = [field('top1', 'higher'), field('nll', 'lower'), field('images', null)]

describe('headline deltas against a baseline', () => {
  it('colour a rise of a higher-is-better number and a fall of a lower-is-better one as better', () => {
    const rows = headlineDeltas(
      fields,
      { top1: 0.9, nll: 0.3, images: 10 },
      { top1: 0.8, nll: 0.4, images: 8 },
    )
    expect(rows.map((r) => r.tone)).toEqual(['better', 'better', 'neutral'])
    expect(rows[0].delta).toBeCloseTo(0.1, 12)
    expect(rows[2].delta).toBe(2)
  })

  it('colour the opposite as worse, and equal numbers as neutral', () => {
    const rows = headlineDeltas(
      fields,
      { top1: 0.7, nll: 0.4, images: 8 },
      { top1: 0.8, nll: 0.3, images: 8 },
    )
    expect(rows.map((r) => r.tone)).toEqual(['worse', 'worse', 'neutral'])
  })

  it('give no delta for the baseline itself or a number either side lacks', () => {
    expect(headlineDeltas(fields, { top1: 0.8 }, null).map((r) => r.delta)).toEqual([
      null,
      null,
      null,
    ])
    const rows = headlineDeltas(fields, { top1: 0.8 }, { nll: 0.1 })
    expect(rows.map((r) => [r.value, r.delta])).toEqual([
      [0.8, null],
      [null, null],
      [null, null],
    ])
  })
})
