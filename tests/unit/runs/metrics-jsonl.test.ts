import { describe, expect, it } from 'vitest'
import { parseMetricsJsonl } from '../../../native-models/runs/metrics-jsonl.ts'
import { expectError, thrownBy } from '../db/error-assertions.ts'

const FILE = '/runs/a/metrics.jsonl'

function lines(...objects: string[]): string {
  return objects.map((text) => `${text}\n`).join('')
}

describe('parseMetricsJsonl', () => {
  it('turns every numeric field into a row with its epoch, step and split', () => {
    const parsed = parseMetricsJsonl(
      lines('{"epoch": 0, "step": 100, "split": "train", "loss": 2.5, "accuracy": 0.1}'),
      FILE,
    )
    expect(parsed.rows).toEqual([
      { epoch: 0, step: 100, split: 'train', name: 'loss', value: 2.5 },
      { epoch: 0, step: 100, split: 'train', name: 'accuracy', value: 0.1 },
    ])
    expect(parsed).toMatchObject({ lines: 1, warnings: [] })
  })

  it('flattens grad_norms into one series per parameter', () => {
    const text = lines(
      '{"epoch": 1, "grad_norms": {"layer1.0.conv1.weight": 0.5, "fc.bias": 0.01}}',
    )
    expect(parseMetricsJsonl(text, FILE).rows).toEqual([
      { epoch: 1, step: null, split: null, name: 'grad_norms/layer1.0.conv1.weight', value: 0.5 },
      { epoch: 1, step: null, split: null, name: 'grad_norms/fc.bias', value: 0.01 },
    ])
  })

  it('accepts several lines per epoch, blank lines, CRLF line ends and a byte-order mark', () => {
    const text =
      '\uFEFF{"epoch": 0, "split": "train", "loss": 2}\r\n\r\n{"epoch": 0, "split": "test", "loss": 3}\r\n'
    const parsed = parseMetricsJsonl(text, FILE)
    expect(parsed.rows.map((row) => row.split)).toEqual(['train', 'test'])
    expect(parsed.lines).toBe(2)
  })

  it('ignores non-numeric fields and reports them once', () => {
    const text = lines(
      '{"epoch": 0, "loss": 1, "optimizer": "sgd", "done": false}',
      '{"epoch": 1, "loss": 1, "optimizer": "sgd", "grad_norms": {"fc.weight": null}}',
    )
    const parsed = parseMetricsJsonl(text, FILE)
    expect(parsed.rows).toHaveLength(2)
    expect(parsed.warnings).toHaveLength(1)
    expect(parsed.warnings[0]).toMatchObject({ code: 'METRICS_IGNORED_FIELDS' })
    expect(parsed.warnings[0]?.message).toContain('optimizer, done, grad_norms/fc.weight')
  })

  it('skips an unfinished last line without a newline, with a warning', () => {
    const parsed = parseMetricsJsonl('{"epoch": 0, "loss": 1}\n{"epoch": 1, "lo', FILE)
    expect(parsed.rows).toHaveLength(1)
    expect(parsed.lines).toBe(1)
    expect(parsed.warnings).toEqual([
      expect.objectContaining({ code: 'METRICS_PARTIAL_LINE' }) as unknown,
    ])
    expect(parsed.warnings[0]?.message).toContain(`'${FILE}' ends with an unfinished line 2`)
  })

  it('reads a complete last line that only lacks its newline', () => {
    expect(parseMetricsJsonl('{"epoch": 0, "loss": 1}', FILE).rows).toHaveLength(1)
  })

  it.each([
    ['{"epoch": 1, "loss": 1,}\n{"epoch": 2}\n', 1, 'is not valid JSON'],
    ['{"epoch": 0}\n{"epoch": 1, "loss": 1,}\n', 2, 'is not valid JSON'],
    ['{"epoch": 1, "loss": NaN}\n', 1, 'holds NaN or Infinity, which JSON cannot represent'],
    ['{"loss": 1}\n', 1, "has no 'epoch'"],
    ['{"epoch": -1, "loss": 1}\n', 1, "has 'epoch' -1, not an integer ≥ 0"],
    ['{"epoch": "3", "loss": 1}\n', 1, `has 'epoch' "3", not an integer ≥ 0`],
    ['{"epoch": 1.5, "loss": 1}\n', 1, "has 'epoch' 1.5"],
    ['{"epoch": 1e400, "loss": 1}\n', 1, "has 'epoch' Infinity (beyond a double)"],
    ['{"epoch": 1, "step": 2.5}\n', 1, "has 'step' 2.5, not an integer"],
    ['{"epoch": 1, "split": 3}\n', 1, "has 'split' 3, not a string"],
    ['[1, 2]\n', 1, 'is not a JSON object'],
    ['{"epoch": 1, "loss": 1e999}\n', 1, "has a non-finite 'loss'"],
    ['{"epoch": 1, "grad_norms": [1, 2]}\n', 1, "has 'grad_norms' [1,2], not an object"],
    ['{"epoch": 1, "grad_norms": {"fc.weight": -1e999}}\n', 1, "non-finite 'grad_norms/fc.weight'"],
  ])('refuses %j as METRICS_MALFORMED at line %i', (text, line, phrase) => {
    const error = thrownBy(() => parseMetricsJsonl(text, FILE))
    expectError(error, 'METRICS_MALFORMED', `'${FILE}' line ${line} `)
    expectError(error, 'METRICS_MALFORMED', phrase)
    expectError(error, 'METRICS_MALFORMED', /: fix or delete that line, then import again\.$/)
  })

  it('refuses an invalid last line that does end with a newline: it is finished, and wrong', () => {
    const error = thrownBy(() => parseMetricsJsonl('{"epoch": 0}\n{"epoch": 1, "lo\n', FILE))
    expectError(error, 'METRICS_MALFORMED', 'line 2 is not valid JSON')
  })
})
