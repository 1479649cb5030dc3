import { describe, expect, it } from 'vitest'
import type { CompressionResult, ResultSummary } from '../../../electron/api/contract/index.ts'
import {
  acgcTrajectoryNote,
  isSameCompressionProtocol,
} from '../../../renderer/src/analyses/compression/compression-trajectory.ts'
import type { LabeledResult } from '../../../renderer/src/charts/options/chart-data.ts'
import { compressionResult } from '../../fixtures/data/compression-result.ts'

function summary(fingerprint: string, parameters: Record<string, unknown>): ResultSummary {
  return {
    provenance: { datasetFingerprint: fingerprint, parameters },
  } as ResultSummary
}

const labeled = (label: string, payload: CompressionResult): LabeledResult<CompressionResult> => ({
  id: 1,
  kind: 'compression',
  label,
  payload,
})

const withTolerance = (tolerance: number): CompressionResult => {
  const payload = compressionResult()
  return { ...payload, acgc: { ...payload.acgc!, tolerance } }
}

describe('which compression results share a run’s site × epoch strip', () => {
  const own = summary('images-a', { compressionBatch: 64, bits: [2, 4], acgc: null })

  it('takes results on the same images and batch size, whatever their widths and AC-GC', () => {
    const other = summary('images-a', {
      compressionBatch: 64,
      bits: [8],
      acgc: { tolerance: 2, gradientBatches: 4 },
    })
    expect(isSameCompressionProtocol(other, own)).toBe(true)
  })

  it('leaves out other images or another batch size (the scale is each batch’s max |x|)', () => {
    expect(isSameCompressionProtocol(summary('images-b', { compressionBatch: 64 }), own)).toBe(
      false,
    )
    expect(isSameCompressionProtocol(summary('images-a', { compressionBatch: 32 }), own)).toBe(
      false,
    )
  })
})

describe('the note under the AC-GC strip', () => {
  it('says nothing when every checkpoint has AC-GC at one tolerance', () => {
    expect(
      acgcTrajectoryNote([labeled('@1', withTolerance(1)), labeled('@2', withTolerance(1))]),
    ).toBe('')
  })

  it('names mixed tolerances and the checkpoints without AC-GC', () => {
    const none = labeled('seed0@3', compressionResult({ acgc: false }))
    expect(
      acgcTrajectoryNote([labeled('@1', withTolerance(2)), labeled('@2', withTolerance(1)), none]),
    ).toBe(
      "AC-GC's widths use e = 1, 2: compare the cells of one e only; no AC-GC bit choice at seed0@3 (blank).",
    )
  })
})
