import { describe, expect, it } from 'vitest'
import { averageSiteStatistics } from '../../../../native-models/analysis/compression/index.ts'
import type {
  BnInputStatistics,
  ConvInputStatistics,
} from '../../../../native-models/analysis/compression/index.ts'

const bnBatch = (scale: number, nonzeros: number): BnInputStatistics => ({
  kind: 'bn-input',
  inverseStdSquared: [scale, 2 * scale],
  gammaSquared: [1, scale],
  gammaGradSquared: [0, scale],
  outputGradNonzeroCountSquared: [nonzeros ** 2, 1],
  outputGradSquaredMax: [scale / 4, 0],
  inputGradSquaredNorm: 10 * scale,
})

const convBatch = (weight: number, output: number, stride = 1): ConvInputStatistics => ({
  kind: 'conv-input',
  successors: [
    {
      kernelHeight: 3,
      kernelWidth: 3,
      strideHeight: stride,
      strideWidth: stride,
      weightGradSquaredNorm: weight,
      outputGradSquaredNorm: output,
    },
  ],
})

describe('averageSiteStatistics', () => {
  it('averages the squared quantities, as the reference keeps them (mean nnz², not mean nnz squared)', () => {
    // nnz = 4 and 8: mean of nnz² = (16 + 64)/2 = 40, where (mean nnz)² would be 36.
    const mean = averageSiteStatistics([bnBatch(1, 4), bnBatch(3, 8)])
    expect(mean).toEqual({
      kind: 'bn-input',
      inverseStdSquared: [2, 4],
      gammaSquared: [1, 2],
      gammaGradSquared: [0, 2],
      outputGradNonzeroCountSquared: [40, 1],
      outputGradSquaredMax: [0.5, 0],
      inputGradSquaredNorm: 20,
    })
  })

  it('averages each successor convolution’s norms and keeps its geometry', () => {
    const mean = averageSiteStatistics([convBatch(2, 5), convBatch(4, 7), convBatch(9, 0)])
    expect(mean).toEqual(convBatch(5, 4))
  })

  it('returns a single batch unchanged', () => {
    expect(averageSiteStatistics([bnBatch(2, 3)])).toEqual(bnBatch(2, 3))
  })

  it('refuses no batches, mixed kinds, other convolutions and other channel counts', () => {
    expect(() => averageSiteStatistics([])).toThrow(/zero batches/)
    expect(() => averageSiteStatistics([convBatch(1, 1), bnBatch(1, 1)])).toThrow(
      /same kind of site \('conv-input'\)/,
    )
    expect(() => averageSiteStatistics([convBatch(1, 1), convBatch(1, 1, 2)])).toThrow(
      /Successor 0 differs between batches/,
    )
    expect(() =>
      averageSiteStatistics([convBatch(1, 1), { kind: 'conv-input', successors: [] }]),
    ).toThrow(/same number of successor convolutions/)
    expect(() =>
      averageSiteStatistics([bnBatch(1, 1), { ...bnBatch(1, 1), gammaSquared: [1] }]),
    ).toThrow(/'gammaSquared' has 1 channels in one batch and 2 in another/)
  })
})
