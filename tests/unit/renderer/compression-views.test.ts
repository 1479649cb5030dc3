import { describe, expect, it } from 'vitest'
import type { CheckpointJobBase } from '../../../electron/api/contract/index.ts'
import { compressionByLayer } from '../../../renderer/src/analyses/compression/compression-overlay.ts'
import {
  accountingRows,
  compressionHeadline,
  monotonicityLines,
} from '../../../renderer/src/analyses/compression/compression-summary.ts'
import {
  compressionRequest,
  compressionRequestLike,
  defaultCompressionOptions,
  parseBits,
} from '../../../renderer/src/analyses/compression/launch.ts'
import { compressionResult } from '../../fixtures/data/compression-result.ts'

const base = {
  checkpointId: 7,
  modelPath: null,
  dataset: { path: '/data', format: 'auto' },
  preprocessing: null,
  batchSize: 32,
  provider: 'cpu',
} as CheckpointJobBase

describe('the compression overlay of the structure diagram', () => {
  it('colours each block by AC-GC’s mean bits over its stored values, sites weighted by size', () => {
    const result = compressionResult()
    // layer1.0: the BN input (4 bits, 96 values) and conv2's input (6 bits, 32 values).
    expect(compressionByLayer(result, 'meanBits')).toEqual({ stem: 8, 'layer1.0': 4.5 })
    expect(compressionByLayer(result, 'meanBitsZeroValue')).toEqual({ stem: 7, 'layer1.0': 3.5 })
    // Zero fractions 0 (96 values) and 0.4 (32 values).
    expect(compressionByLayer(result, 'zeroFraction')).toEqual({ stem: 0, 'layer1.0': 0.1 })
  })

  it('has no bits to colour by without AC-GC, but still the zero fractions', () => {
    const result = compressionResult({ acgc: false })
    expect(compressionByLayer(result, 'meanBits')).toEqual({})
    expect(compressionByLayer(result, 'zeroFraction')['layer1.0']).toBeCloseTo(0.1, 12)
  })
})

describe('the compression launcher', () => {
  it('asks for b = 2 … 8 and 16 together, AC-GC at e = 1 over 4 batches, 64 images a batch', () => {
    const request = compressionRequest(base, defaultCompressionOptions())
    expect(request).toMatchObject({
      kind: 'compression',
      checkpointId: 7,
      batchSize: null,
      bits: [2, 3, 4, 5, 6, 7, 8, 16],
      together: true,
      eachAlone: false,
      acgc: { tolerance: 1, gradientBatches: 4 },
      compressionBatch: 64,
    })
  })

  it('reads widths as typed and repeats a stored request, AC-GC left out when it was', () => {
    expect(parseBits('2, 4;8  16,')).toEqual([2, 4, 8, 16])
    expect(parseBits('2, x')).toEqual([2, NaN])
    const like = compressionRequestLike(base, { bits: [4, 8], acgc: null, eachAlone: true })
    expect(like).toMatchObject({ bits: [4, 8], acgc: null, eachAlone: true, together: true })
  })
})

describe('the compression panel’s numbers', () => {
  it('leads with AC-GC’s ratios and its paired Δtop-1, then the unquantized top-1', () => {
    const numbers = compressionHeadline(compressionResult())
    expect(numbers.map((n) => n.value)).toEqual(['6.40×', '7.11×', '−1.00 %', '90.00 %', '200'])
    expect(numbers[2].interval).toBe('−2.00 % – ±0.00 %')
    expect(numbers[3].interval).toBe('88.00 % – 92.00 %')
  })

  it('shows only the unquantized top-1 and the images without AC-GC', () => {
    const numbers = compressionHeadline(compressionResult({ acgc: false }))
    expect(numbers.map((n) => n.testid)).toEqual([
      'headline-compression-top1',
      'headline-compression-images',
    ])
  })

  it('lists every site, then conv and BatchNorm inputs, and says where the error rose', () => {
    const acgc = compressionResult().acgc!
    expect(accountingRows(acgc).map((r) => [r.name, r.accounting?.meanBits])).toEqual([
      ['every site', 5],
      ['conv inputs', 6.5],
      ['BatchNorm inputs', 4],
    ])
    expect(monotonicityLines(compressionResult())).toEqual([
      'conv-input:stem.conv1: KL rose at b 8 → 16 (+0.00012).',
    ])
  })
})
