import { describe, expect, it } from 'vitest'
import {
  outputDivergenceSummary,
  perImageDivergence,
} from '../../../../native-models/analysis/compression/index.ts'
import {
  BOOTSTRAP_RESAMPLES,
  BOOTSTRAP_SEED,
  INTERVAL_CONFIDENCE,
} from '../../../../native-models/analysis/evaluate/intervals.ts'

// Inputs and expected values printed by tests/reference/compression_divergence_numpy.py (seed 18,
// SciPy rel_entr over float64 softmax probabilities). Image 6 is left unquantized; image 7 has
// logits near 900, where a naive exp overflows.
const CLASSES = 5
const referenceLogits = Float32Array.of(
  -0.86468,
  -2.2601936,
  1.3476874,
  -2.215629,
  4.027831,
  1.848224,
  -0.7185259,
  1.1410315,
  3.2231781,
  5.6679387,
  -1.8465294,
  2.1301475,
  1.0354812,
  -0.55910206,
  2.1843963,
  1.0135486,
  2.1524816,
  -1.0517981,
  -0.0049829534,
  0.7899223,
  0.039204713,
  0.033144876,
  -1.536833,
  0.25275877,
  0.3752928,
  -0.12261996,
  -0.029495884,
  1.392921,
  -1.3172061,
  1.3930455,
  -0.30696657,
  0.11233218,
  -0.38178307,
  1.7983642,
  1.5211399,
  900,
  0,
  -50,
  10,
  850,
)
const quantizedLogits = Float32Array.of(
  -0.86730874,
  -2.3275952,
  1.7808243,
  -2.3515866,
  3.5842347,
  2.6511402,
  -1.9140515,
  0.29254922,
  2.9095128,
  5.3593364,
  -1.9229041,
  2.1232529,
  1.6341617,
  -1.4710052,
  3.9745588,
  1.3803786,
  1.6886339,
  -1.3946686,
  -0.29472312,
  -0.5489802,
  0.27966657,
  -0.6335697,
  -1.8621497,
  -0.40482008,
  0.016504318,
  -0.10833951,
  -0.8009949,
  2.3030336,
  -2.0824924,
  1.0941219,
  -0.30696657,
  0.11233218,
  -0.38178307,
  1.7983642,
  1.5211399,
  880,
  5,
  -40,
  0,
  870,
)
const labels = Int32Array.of(2, 2, 4, 1, 4, 0, 1, 3)
const expectedKl = [
  0.030241838157100638, 0.01919261502449691, 0.35325655383777693, 0.11734761849582254,
  0.0637464770665751, 0.2020777204972381, 0.0, 4.539889921687053e-5,
]
const expectedMaxAbsLogitDelta = [
  0.44359636306762695, 1.1955256462097168, 1.7901625633239746, 1.338902473449707,
  0.6667145937681198, 0.9101126194000244, 0.0, 20.0,
]
const expectedReferencePredicted = [4, 4, 4, 1, 4, 4, 3, 0]
const expectedQuantizedPredicted = [4, 4, 4, 1, 0, 2, 3, 0]
const expectedSummary = {
  referenceTop1: 0.375,
  top1: 0.25,
  meanKl: 0.09823852774727838,
  meanMaxAbsLogitDelta: 3.293126782402396,
  maxMaxAbsLogitDelta: 20.0,
  changedPredictions: 0.25,
  onlyReference: 1,
  onlyQuantized: 0,
  pValue: 1.0,
}

function expectAllClose(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length)
  for (let i = 0; i < expected.length; i += 1) {
    const tolerance = 1e-12 * Math.max(1, Math.abs(expected[i]))
    expect(
      Math.abs(actual[i] - expected[i]),
      `image ${i}: ${actual[i]} vs ${expected[i]}`,
    ).toBeLessThanOrEqual(tolerance)
  }
}

describe('perImageDivergence', () => {
  const divergence = perImageDivergence(referenceLogits, quantizedLogits, CLASSES)

  it('equals SciPy’s KL(p_ref ‖ p_quant) per image, the overflowing row included', () => {
    expectAllClose(divergence.kl, expectedKl)
  })

  it('gives each image’s largest |Δlogit| and both models’ top-1 classes', () => {
    expectAllClose(divergence.maxAbsLogitDelta, expectedMaxAbsLogitDelta)
    expect(Array.from(divergence.referencePredicted)).toEqual(expectedReferencePredicted)
    expect(Array.from(divergence.quantizedPredicted)).toEqual(expectedQuantizedPredicted)
  })

  it('gives exactly zero for identical logits', () => {
    const same = perImageDivergence(referenceLogits, referenceLogits, CLASSES)
    expect(Array.from(same.kl)).toEqual(new Array(8).fill(0))
    expect(Array.from(same.maxAbsLogitDelta)).toEqual(new Array(8).fill(0))
  })

  it('refuses logit matrices of different sizes or not whole rows', () => {
    expect(() => perImageDivergence(referenceLogits, quantizedLogits.subarray(5), CLASSES)).toThrow(
      /hold 40 and 35 values/,
    )
    expect(() => perImageDivergence(referenceLogits, quantizedLogits, 3)).toThrow(
      /40 logits are not a whole number of rows of 3 classes/,
    )
    expect(() => perImageDivergence(referenceLogits, quantizedLogits, 0)).toThrow(
      /classes must be a positive integer/,
    )
  })
})

describe('outputDivergenceSummary', () => {
  const summary = outputDivergenceSummary(
    perImageDivergence(referenceLogits, quantizedLogits, CLASSES),
    labels,
  )

  it('gives the top-1 of each model, their paired difference and McNemar’s p', () => {
    expect(summary.numImages).toBe(8)
    expect(summary.referenceTop1.estimate).toBe(expectedSummary.referenceTop1)
    expect(summary.top1).toBe(expectedSummary.top1)
    expect(summary.quantizedTop1.estimate).toBe(expectedSummary.top1)
    expect(summary.top1Delta.estimate).toBe(expectedSummary.top1 - expectedSummary.referenceTop1)
    expect(summary.mcnemar).toEqual({
      onlyReference: expectedSummary.onlyReference,
      onlyQuantized: expectedSummary.onlyQuantized,
    })
    expect(summary.top1Delta.pValue).toBeCloseTo(expectedSummary.pValue, 12)
  })

  it('gives the mean KL, the mean and max of max |Δlogit| and the changed predictions', () => {
    expect(summary.kl.estimate).toBeCloseTo(expectedSummary.meanKl, 12)
    expect(summary.maxAbsLogitDelta.mean).toBeCloseTo(expectedSummary.meanMaxAbsLogitDelta, 12)
    expect(summary.maxAbsLogitDelta.max).toBe(expectedSummary.maxMaxAbsLogitDelta)
    expect(summary.changedPredictions).toBe(expectedSummary.changedPredictions)
  })

  it('brackets each estimate with intervals of the evaluation’s bootstrap settings', () => {
    expect(summary.confidence).toBe(INTERVAL_CONFIDENCE)
    expect(summary.bootstrap).toEqual({ resamples: BOOTSTRAP_RESAMPLES, seed: BOOTSTRAP_SEED })
    for (const interval of [
      summary.kl,
      summary.top1Delta,
      summary.referenceTop1,
      summary.quantizedTop1,
    ]) {
      expect(interval.lower).toBeLessThanOrEqual(interval.estimate)
      expect(interval.upper).toBeGreaterThanOrEqual(interval.estimate)
    }
    // A mean of resampled KLs can never leave the range of the per-image values.
    expect(summary.kl.lower).toBeGreaterThanOrEqual(0)
    expect(summary.kl.upper).toBeLessThanOrEqual(Math.max(...expectedKl))
  })

  it('is exact for an unquantized model: zero KL and delta, nothing changed, p = 1', () => {
    const same = outputDivergenceSummary(
      perImageDivergence(referenceLogits, referenceLogits, CLASSES),
      labels,
    )
    expect(same.kl).toEqual({ estimate: 0, lower: 0, upper: 0 })
    expect(same.top1Delta).toEqual({ estimate: 0, lower: 0, upper: 0, pValue: 1 })
    expect(same.changedPredictions).toBe(0)
    expect(same.top1).toBe(expectedSummary.referenceTop1)
  })

  it('refuses labels of another length and an empty selection', () => {
    const divergence = perImageDivergence(referenceLogits, quantizedLogits, CLASSES)
    expect(() => outputDivergenceSummary(divergence, labels.subarray(1))).toThrow(
      /There are 7 labels for 8 images/,
    )
    expect(() =>
      outputDivergenceSummary(
        perImageDivergence(new Float32Array(), new Float32Array(), 3),
        new Int32Array(),
      ),
    ).toThrow(/at least one image/)
  })
})
