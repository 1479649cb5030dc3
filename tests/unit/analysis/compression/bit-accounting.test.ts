import { describe, expect, it } from 'vitest'
import { compressionAccounting } from '../../../../native-models/analysis/compression/index.ts'
import type { SiteBatchBits } from '../../../../native-models/analysis/compression/index.ts'

// Conv site A (2 channels, n_c = 10) on two batches, BN site B (1 channel, n_c = 20) on one.
const convBatch1: SiteBatchBits = {
  site: 'A',
  kind: 'conv-input',
  bits: [4, 6],
  intrinsicBits: [3, 3],
  elementsPerChannel: 10,
  nonzerosPerChannel: [5, 2],
}
const convBatch2: SiteBatchBits = {
  ...convBatch1,
  bits: [8, 8],
  nonzerosPerChannel: [10, 10],
}
const bnBatch: SiteBatchBits = {
  site: 'B',
  kind: 'bn-input',
  bits: [2],
  intrinsicBits: [1],
  elementsPerChannel: 20,
  nonzerosPerChannel: [20],
}

describe('compressionAccounting', () => {
  const accounting = compressionAccounting([convBatch1, bnBatch, convBatch2])

  it('weights conv-input (CNV) widths by elements over batches, with and without ZVC', () => {
    // Σ b·n = 4·10 + 6·10 + 8·10 + 8·10 = 260 over 40 elements → 6.5 bits.
    // ZVC: mask 40 + Σ b·nnz = 4·5 + 6·2 + 8·10 + 8·10 = 192 → 232 / 40 = 5.8 bits.
    expect(accounting.byKind['conv-input']).toEqual({
      elements: 40,
      meanBits: 6.5,
      meanBitsZeroValue: 5.8,
      ratio: 32 / 6.5,
      ratioZeroValue: 32 / 5.8,
      intrinsicBits: 3,
    })
  })

  it('counts a dense BN input at one extra mask bit per element under ZVC', () => {
    // 2 bits on 20 elements, all nonzero: (20 + 2·20) / 20 = 3 bits with ZVC.
    expect(accounting.byKind['bn-input']).toEqual({
      elements: 20,
      meanBits: 2,
      meanBitsZeroValue: 3,
      ratio: 16,
      ratioZeroValue: 32 / 3,
      intrinsicBits: 1,
    })
  })

  it('pools every site for the overall mean and ratio', () => {
    // (260 + 40) / 60 = 5 bits; ZVC (232 + 60) / 60; intrinsic (3·40 + 1·20) / 60 = 7/3.
    expect(accounting.overall.elements).toBe(60)
    expect(accounting.overall.meanBits).toBe(5)
    expect(accounting.overall.ratio).toBe(6.4)
    expect(accounting.overall.meanBitsZeroValue).toBeCloseTo(292 / 60, 12)
    expect(accounting.overall.intrinsicBits).toBeCloseTo(7 / 3, 12)
  })

  it('reports AutoQuantZ’s mix: ZVC on conv inputs only, BN inputs plain', () => {
    // (232 + 40) / 60 bits.
    expect(accounting.zeroValueOnConvInputsOnly.meanBits).toBeCloseTo(272 / 60, 12)
    expect(accounting.zeroValueOnConvInputsOnly.ratio).toBeCloseTo(32 / (272 / 60), 12)
  })

  it('summarizes each site over its batches, in order of first appearance', () => {
    expect(accounting.sites.map(({ site, kind }) => ({ site, kind }))).toEqual([
      { site: 'A', kind: 'conv-input' },
      { site: 'B', kind: 'bn-input' },
    ])
    expect(accounting.sites[0].summary).toEqual(accounting.byKind['conv-input'])
  })

  it('leaves a kind without sites null', () => {
    expect(compressionAccounting([bnBatch]).byKind['conv-input']).toBeNull()
  })

  it('refuses inconsistent records', () => {
    expect(() => compressionAccounting([])).toThrow(/at least one site record/)
    expect(() => compressionAccounting([convBatch1, { ...bnBatch, site: 'A' }])).toThrow(
      /Site 'A' is listed both as 'conv-input' and 'bn-input'/,
    )
    expect(() => compressionAccounting([{ ...convBatch1, nonzerosPerChannel: [5] }])).toThrow(
      /give one per channel/,
    )
    expect(() => compressionAccounting([{ ...convBatch1, nonzerosPerChannel: [11, 0] }])).toThrow(
      /channel 0 has 11 nonzeros of 10 elements/,
    )
    expect(() => compressionAccounting([{ ...convBatch1, elementsPerChannel: 0 }])).toThrow(
      /elementsPerChannel 0/,
    )
  })
})
