import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  compressionAccounting,
  siteBitWidths,
} from '../../../../native-models/analysis/compression/index.ts'
import type {
  BitSummary,
  CompressionSiteInput,
  SiteBatchBits,
} from '../../../../native-models/analysis/compression/index.ts'

// Written by tests/reference/compression_bitwidth_numpy.py (float32 as in the reference code).
interface GoldenCase extends CompressionSiteInput {
  errorTolerance: number
  expected: {
    allowedSquaredError: number[]
    intrinsicBits: number[]
    fractionalBits: number[]
    bits: number[]
  }
}

const golden = JSON.parse(
  readFileSync(
    new URL('../../../fixtures/goldens/compression/acgc-bit-widths.json', import.meta.url),
    'utf8',
  ),
) as {
  cases: GoldenCase[]
  accounting: { records: SiteBatchBits[]; expected: Record<string, BitSummary> }
}

// NumPy works in float32 throughout; here only dx² and the scale are rounded to float32.
const FLOAT32_RELATIVE = 1e-6

function expectRelativelyClose(actual: number[], expected: number[], label: string): void {
  expect(actual.length).toBe(expected.length)
  actual.forEach((value, i) => {
    const tolerance = FLOAT32_RELATIVE * Math.max(1, Math.abs(expected[i]))
    expect(
      Math.abs(value - expected[i]),
      `${label}[${i}]: ${value} vs ${expected[i]}`,
    ).toBeLessThanOrEqual(tolerance)
  })
}

describe('AC-GC bit choice against NumPy', () => {
  it('covers every width from 2 to 16 and the BN floor', () => {
    const widths = new Set(golden.cases.flatMap((c) => c.expected.bits))
    expect(Math.min(...widths)).toBe(2)
    expect(Math.max(...widths)).toBe(16)
    expect(golden.cases.some((c) => c.expected.allowedSquaredError.includes(2 ** -16))).toBe(true)
  })

  it.each(golden.cases.map((c) => [c.site, c] as const))(
    'gives NumPy’s dx², intrinsic bits and exact widths for %s',
    (_, goldenCase) => {
      const widths = siteBitWidths(goldenCase, goldenCase.errorTolerance)
      expectRelativelyClose(
        widths.allowedSquaredError,
        goldenCase.expected.allowedSquaredError,
        'dx²',
      )
      expectRelativelyClose(widths.intrinsicBits, goldenCase.expected.intrinsicBits, 'intrinsic')
      expect(widths.fractionalBits).toEqual(goldenCase.expected.fractionalBits)
      expect(widths.bits).toEqual(goldenCase.expected.bits)
    },
  )

  it('accounts bits over sites and batches as NumPy does', () => {
    const accounting = compressionAccounting(golden.accounting.records)
    const groups = {
      overall: accounting.overall,
      'conv-input': accounting.byKind['conv-input'],
      'bn-input': accounting.byKind['bn-input'],
    }
    for (const [group, summary] of Object.entries(groups)) {
      const expected = golden.accounting.expected[group]
      expect(summary?.elements, group).toBe(expected.elements)
      for (const key of [
        'meanBits',
        'meanBitsZeroValue',
        'ratio',
        'ratioZeroValue',
        'intrinsicBits',
      ] as const)
        expect(summary?.[key], `${group} ${key}`).toBeCloseTo(expected[key], 10)
    }
  })
})
