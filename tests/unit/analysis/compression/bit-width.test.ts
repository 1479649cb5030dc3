import { describe, expect, it } from 'vitest'
import {
  BN_ALLOWED_ERROR_FLOOR,
  bnAllowedSquaredError,
  channelBitWidths,
  channelScale,
  convAllowedSquaredError,
  siteBitWidths,
} from '../../../../native-models/analysis/compression/index.ts'
import type {
  BnInputStatistics,
  ConvInputStatistics,
} from '../../../../native-models/analysis/compression/index.ts'

const conv3x3 = { kernelHeight: 3, kernelWidth: 3, strideHeight: 1, strideWidth: 1 }
// One 3×3 stride-1 successor: u = R·S/T² = 9.
const handWorkedConv: ConvInputStatistics = {
  kind: 'conv-input',
  successors: [{ ...conv3x3, weightGradSquaredNorm: 8, outputGradSquaredNorm: 2 }],
}
// N·C·H·W = 1·4·4·4 = 64 elements.
const convShape = { batch: 1, channels: 4, height: 4, width: 4 }
const convMaxAbs = [1, 4, 1 / 16, 2 ** 14]

describe('AC-GC conv-input bit widths (hand-worked)', () => {
  it('gives dx² = e·Σ‖∇W‖² / (2·N·C·H·W·Σu‖∇y‖²) = 8 / (2·64·9·2) = 1/288', () => {
    expect(convAllowedSquaredError(handWorkedConv, convShape)).toBe(Math.fround(1 / 288))
  })

  it('gives the widths worked out by hand, clipping at 1 and at 15 fractional bits', () => {
    // intrinsic = −½·log2(1/288) = ½·(log2 32 + log2 9) = ½·(5 + 3.16993) = 4.08496
    // f = intrinsic − log2(s_c) − 1 with s_c = 1/(max|x_c| + 1e-6), so −log2(s_c) ≈ log2 max|x_c|:
    //   max 1:     f = 4.08496 + 0.0000014 − 1 =  3.08496 → trunc  3             → b = 4
    //   max 4:     f = 4.08496 + 2         − 1 =  5.08496 → trunc  5             → b = 6
    //   max 1/16:  f = 4.08496 − 4         − 1 = −0.91504 → trunc −0 → clip 1    → b = 2
    //   max 2^14:  f = 4.08496 + 14        − 1 = 17.08496 → trunc 17 → clip 15   → b = 16
    const widths = channelBitWidths(convAllowedSquaredError(handWorkedConv, convShape), convMaxAbs)
    for (const intrinsic of widths.intrinsicBits) expect(intrinsic).toBeCloseTo(4.08496, 5)
    expect(widths.fractionalBits).toEqual([3, 5, 1, 15])
    expect(widths.bits).toEqual([4, 6, 2, 16])
  })

  it('takes the error tolerance e linearly, as the reference code does (not e²)', () => {
    // e = 4: dx² = 4/288 = 1/72, intrinsic = ½·log2 72 = 3.08496, channel max 1: f = 2.08 → b = 3.
    // With e² = 16 it would be 1/18, intrinsic 2.08496, f = 1.08 → b = 2.
    const dx2 = convAllowedSquaredError(handWorkedConv, convShape, 4)
    expect(dx2).toBe(Math.fround(1 / 72))
    expect(channelBitWidths(dx2, [1]).bits).toEqual([3])
  })

  it('sums ‖∇W‖² and u·‖∇y‖² over every successor convolution', () => {
    // 1×1 stride 1 (u = 1) and a 1×1 stride-2 downsample (u = 1/4) reading the same activation:
    // Σ‖∇W‖² = 3 + 5 = 8, Σu‖∇y‖² = 1·4 + ¼·16 = 8, dx² = 8 / (2·64·8) = 1/128.
    const twoReaders: ConvInputStatistics = {
      kind: 'conv-input',
      successors: [
        {
          kernelHeight: 1,
          kernelWidth: 1,
          strideHeight: 1,
          strideWidth: 1,
          weightGradSquaredNorm: 3,
          outputGradSquaredNorm: 4,
        },
        {
          kernelHeight: 1,
          kernelWidth: 1,
          strideHeight: 2,
          strideWidth: 2,
          weightGradSquaredNorm: 5,
          outputGradSquaredNorm: 16,
        },
      ],
    }
    expect(convAllowedSquaredError(twoReaders, convShape)).toBe(1 / 128)
  })

  it('floors both gradient sums at 1e-16, so a dead layer gets dx² = 1/(2·N·C·H·W)', () => {
    const dead: ConvInputStatistics = {
      kind: 'conv-input',
      successors: [{ ...conv3x3, weightGradSquaredNorm: 0, outputGradSquaredNorm: 0 }],
    }
    expect(convAllowedSquaredError(dead, convShape)).toBe(1 / 128)
  })

  it('refuses a site without successors and a non-positive tolerance', () => {
    expect(() =>
      convAllowedSquaredError({ kind: 'conv-input', successors: [] }, convShape),
    ).toThrow(/at least one successor/)
    expect(() => convAllowedSquaredError(handWorkedConv, convShape, 0)).toThrow(
      /errorTolerance must be a positive number, got 0/,
    )
  })
})

// K = 2 channels, N·H·W = 2·2·2 = 8, ‖∇x‖² = 4: numerator e·‖∇x‖²·N·H·W = 32.
const bnShape = { batch: 2, channels: 2, height: 2, width: 2 }
const handWorkedBn: BnInputStatistics = {
  kind: 'bn-input',
  inverseStdSquared: [4, 16],
  gammaSquared: [1, 4],
  gammaGradSquared: [28, 0],
  outputGradNonzeroCountSquared: [16, 64],
  outputGradSquaredMax: [1 / 16, 1],
  inputGradSquaredNorm: 4,
}
const bnMaxAbs = [6, 10]

describe('AC-GC BN-input bit widths (hand-worked)', () => {
  it('gives one dx² per channel, the second floored at 2^-16', () => {
    // channel 0: g2 = inv_std²·nnz²·max(∇z²)·(max|x|/2)² + (∂γ)² = 4·16·(1/16)·3² + 28 = 64
    //            dx² = 32 / (K·γ²·inv_std⁴·g2) = 32 / (2·1·16·64) = 1/64
    // channel 1: g2 = 16·64·1·5² + 0 = 25,600
    //            dx² = 32 / (2·4·256·25,600) = 1/1,638,400 ≈ 6.1e-7 < 2^-16 ≈ 1.5e-5 → 2^-16
    expect(bnAllowedSquaredError(handWorkedBn, bnShape, bnMaxAbs)).toEqual([
      1 / 64,
      BN_ALLOWED_ERROR_FLOOR,
    ])
  })

  it('gives the widths worked out by hand', () => {
    // channel 0: intrinsic = −½·log2(1/64) = 3; f = 3 + log2 6 − 1 = 3 + 2.585 − 1 = 4.585 → b = 5
    // channel 1: intrinsic = −½·log2(2^-16) = 8; f = 8 + log2 10 − 1 = 10.32 → b = 11
    //            (unfloored: intrinsic 10.32, f = 12.64 → b = 13)
    const widths = channelBitWidths(
      bnAllowedSquaredError(handWorkedBn, bnShape, bnMaxAbs),
      bnMaxAbs,
    )
    expect(widths.intrinsicBits).toEqual([3, 8])
    expect(widths.fractionalBits).toEqual([4, 10])
    expect(widths.bits).toEqual([5, 11])
  })

  it('gives a channel that cannot change the loss (γ = 0) an unbounded dx² and the narrowest width', () => {
    const deadChannel = { ...handWorkedBn, gammaSquared: [0, 4] }
    const dx2 = bnAllowedSquaredError(deadChannel, bnShape, bnMaxAbs)
    expect(dx2[0]).toBe(Number.POSITIVE_INFINITY)
    expect(channelBitWidths(dx2, bnMaxAbs).bits).toEqual([2, 11])
  })

  it('refuses statistics whose channel count differs from the shape', () => {
    expect(() =>
      bnAllowedSquaredError({ ...handWorkedBn, gammaSquared: [1] }, bnShape, bnMaxAbs),
    ).toThrow(/'gammaSquared' has 1 channels, expected 2/)
    expect(() => bnAllowedSquaredError(handWorkedBn, bnShape, [6])).toThrow(
      /'maxAbs' has 1 channels/,
    )
  })
})

describe('channelScale', () => {
  it('is 1/(max|x| + 1e-6) in float32, so an all-zero channel gets a finite scale', () => {
    expect(channelScale(0)).toBe(Math.fround(1e6))
    expect(channelScale(1)).toBe(Math.fround(1 / Math.fround(1 + 1e-6)))
  })
})

describe('siteBitWidths', () => {
  it('averages the per-batch statistics before choosing, and repeats a conv dx² per channel', () => {
    // Batches (‖∇W‖², ‖∇y‖²) = (6, 1) and (10, 3) average to the hand-worked (8, 2).
    const site = siteBitWidths({
      site: 'conv-input:layer1.0.conv2',
      shape: convShape,
      maxAbs: convMaxAbs,
      statisticsPerBatch: [
        {
          kind: 'conv-input',
          successors: [{ ...conv3x3, weightGradSquaredNorm: 6, outputGradSquaredNorm: 1 }],
        },
        {
          kind: 'conv-input',
          successors: [{ ...conv3x3, weightGradSquaredNorm: 10, outputGradSquaredNorm: 3 }],
        },
      ],
    })
    expect(site.kind).toBe('conv-input')
    expect(site.allowedSquaredError).toEqual(new Array(4).fill(Math.fround(1 / 288)))
    expect(site.bits).toEqual([4, 6, 2, 16])
  })

  it('chooses BN-input widths per channel', () => {
    const site = siteBitWidths({
      site: 'bn-input:layer1.0.bn2',
      shape: bnShape,
      maxAbs: bnMaxAbs,
      statisticsPerBatch: [handWorkedBn],
    })
    expect(site.kind).toBe('bn-input')
    expect(site.bits).toEqual([5, 11])
  })

  it('refuses a max |x| list of the wrong length', () => {
    expect(() =>
      siteBitWidths({ site: 's', shape: bnShape, maxAbs: [1], statisticsPerBatch: [handWorkedBn] }),
    ).toThrow(/Site 's' has 2 channels but 1 max \|x\| values/)
  })
})
