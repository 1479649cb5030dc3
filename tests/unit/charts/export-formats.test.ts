import { describe, expect, it } from 'vitest'
import { csvLine, parseCsv } from '../../../electron/api/export/csv.ts'
import { parseTidyCsv, TIDY_HEADER, tidyCsvLines } from '../../../electron/api/export/tidy-csv.ts'
import { measureDejaVuText } from '../../../electron/api/export/text-metrics.ts'
import { evaluation, stats, tap } from './results.ts'

describe('CSV', () => {
  it('quotes commas, quotes, line breaks and edge spaces, and parses them back', () => {
    const fields = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded', '']
    expect(csvLine(fields)).toBe('plain,"a,b","say ""hi""","two\nlines"," padded",\n')
    expect(parseCsv(csvLine(fields) + csvLine(['x']))).toEqual([fields, ['x']])
  })
})

describe('tidy result CSV', () => {
  const context = {
    resultId: 4,
    kind: 'evaluate' as const,
    checkpoint: 'epoch_3.onnx',
    run: 'seed,0',
    epoch: 3,
    dataset: 'fmnist',
  }

  it('gives back an evaluation exactly, class names with commas included', () => {
    const payload = evaluation(
      [
        [2, 1],
        [0, 3],
      ],
      ['T-shirt, top', 'Trouser'],
    )
    const { text, rows } = tidyCsvLines(context, payload)
    const [parsed] = parseTidyCsv(TIDY_HEADER + text)
    expect(parsed).toEqual({ context, payload })
    expect(rows).toBe(5 + 2 + 5 * 2 + 4 + 2 * 2)
  })

  it('gives back activation statistics exactly, -0 and tiny values included', () => {
    const payload = stats([tap('layer1.0', [-0, 1e-300], [0.1 + 0.2, 1 / 3], [0, 1])])
    const statsContext = { ...context, kind: 'activation-stats' as const, run: null, epoch: null }
    const [parsed] = parseTidyCsv(TIDY_HEADER + tidyCsvLines(statsContext, payload).text)
    expect(parsed.payload).toEqual(payload)
    expect(Object.is((parsed.payload as typeof payload).taps[0].mean[0], -0)).toBe(true)
  })

  it('refuses a file that is not a tidy result CSV', () => {
    expect(() => parseTidyCsv('a,b\n1,2\n')).toThrow("Not a tidy result CSV: the header is 'a,b'.")
  })
})

describe('server-side text metrics', () => {
  it("measures DejaVu Sans's advance widths, bold wider, unknown characters as 1 em", () => {
    expect(measureDejaVuText('0', '12px sans-serif').width).toBeCloseTo(12 * 0.636)
    expect(measureDejaVuText('W', 'bold 10px x').width).toBeGreaterThan(
      measureDejaVuText('W', '10px x').width,
    )
    expect(measureDejaVuText('中', '20px x').width).toBe(20)
  })
})
