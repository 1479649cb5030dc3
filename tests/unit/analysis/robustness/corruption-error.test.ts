import { describe, expect, it } from 'vitest'
import { summariseSweep } from '../../../../native-models/analysis/robustness/sweep/index.ts'
import type { ModelErrors } from '../../../../native-models/analysis/robustness/sweep/index.ts'

const model: ModelErrors = {
  clean: 0.2,
  byCorruption: new Map([
    ['gaussian_noise', [0.5, 0.6, 0.7, 0.8, 0.9]],
    ['speckle_noise', [0.3, 0.4, 0.5, 0.6, 0.7]],
  ]),
}

describe('corruption error summaries', () => {
  it('normalises by AlexNet as AugMix’s compute_mce does, the extra corruptions left out', () => {
    const summary = summariseSweep(model, { kind: 'alexnet' })
    const [gaussian, speckle] = summary.perCorruption
    // AugMix: 100 · (1 − mean accuracy) / ALEXNET_ERR = 0.7 / 0.886428.
    expect(gaussian.ce).toBeCloseTo(0.7 / 0.886428, 12)
    // (Σ E − 5 · 0.2) / (5 · 0.886428 − 5 · 0.4348) = 2.5 / 2.25814
    expect(gaussian.relativeCe).toBeCloseTo(2.5 / (5 * 0.886428 - 5 * 0.4348), 12)
    expect(speckle.ce).toBeNull()
    expect(summary.mce).toBeCloseTo(0.7 / 0.886428, 12)
    expect(summary.meanCorruptedAccuracy).toBeCloseTo(1 - 0.6, 12)
  })

  it('gives CE 1 against itself as the reference, and needs all five severities for AlexNet', () => {
    const self = summariseSweep(model, { kind: 'reference', errors: model })
    expect(self.mce).toBeCloseTo(1, 12)
    expect(self.relativeMce).toBeCloseTo(1, 12)
    const partial: ModelErrors = { clean: 0.2, byCorruption: new Map([['fog', [0.5, 0.6]]]) }
    expect(summariseSweep(partial, { kind: 'alexnet' }).mce).toBeNull()
    expect(summariseSweep(partial, { kind: 'none' }).perCorruption[0]).toMatchObject({
      meanError: 0.55,
      ce: null,
      relativeCe: null,
    })
  })
})
