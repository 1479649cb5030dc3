import { describe, expect, it } from 'vitest'
import { formatBytes, formatCount, formatTable } from '../../../electron/cli/format.ts'

describe('CLI formatting', () => {
  it('groups parameter counts by thousands', () => {
    expect(formatCount(25557032)).toBe('25,557,032')
  })

  it('prints sizes with binary units', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(102_400_000)).toBe('97.7 MiB')
  })

  it('right-aligns numeric columns and left-aligns text', () => {
    const table = formatTable(
      ['layer', 'params'],
      [
        ['stem', '9,536'],
        ['layer1.0', '75,008'],
      ],
    )
    expect(table.split('\n')).toEqual([
      'layer     params',
      '--------  ------',
      'stem       9,536',
      'layer1.0  75,008',
    ])
  })
})
