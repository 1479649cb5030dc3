import { describe, expect, it } from 'vitest'
import {
  accuracyOf,
  bootstrapInterval,
  eceOf,
  forEachBootstrapResample,
  meanOf,
  pairedBootstrapDelta,
} from '../../../../native-models/analysis/uncertainty/index.ts'
import type { BootstrapOptions } from '../../../../native-models/analysis/uncertainty/index.ts'
import { expectClose, golden } from './uncertainty-golden.ts'

type GoldenInterval = (typeof golden.bootstrap.intervals)[number]

const { seed, resamples, dataset } = golden.bootstrap
const n = dataset.confidence.length
const confidence = Float32Array.from(dataset.confidence)
const correctA = Uint8Array.from(dataset.correctA)
const correctB = Uint8Array.from(dataset.correctB)
const nll = Float32Array.from(dataset.nll)

function computeInterval(expected: GoldenInterval): {
  lower: number
  upper: number
  estimate: number
} {
  const options: BootstrapOptions = { seed, resamples, confidence: expected.confidence }
  const all = Int32Array.from({ length: n }, (_, i) => i)
  const single = (statistic: (indices: Int32Array) => number) => ({
    ...bootstrapInterval(statistic, n, options),
    estimate: statistic(all),
  })
  switch (expected.statistic) {
    case 'meanNll':
      return single(meanOf(nll))
    case 'accuracyA':
      return single(accuracyOf(correctA))
    case 'eceA':
      return single(eceOf(confidence, correctA))
    case 'accuracyDelta':
      return pairedBootstrapDelta(accuracyOf(correctA), accuracyOf(correctB), n, options)
    case 'eceDelta':
      return pairedBootstrapDelta(
        eceOf(confidence, correctA),
        eceOf(confidence, correctB),
        n,
        options,
      )
  }
}

describe('bootstrap against NumPy on the exported resamples', () => {
  it('draws the resamples the golden was computed on', () => {
    const sums: number[] = []
    let head: number[] = []
    forEachBootstrapResample(n, resamples, seed, (indices, resample) => {
      if (resample === 0) head = Array.from(indices.subarray(0, 8))
      sums.push(indices.reduce((sum, i) => sum + i, 0))
    })
    expect(head).toEqual(golden.bootstrap.firstResampleHead)
    expect(sums).toEqual(golden.bootstrap.indexSums)
  })

  it.each(golden.bootstrap.intervals)(
    'gives the np.percentile interval of $statistic at confidence $confidence to 1e-9',
    (expected) => {
      const actual = computeInterval(expected)
      expectClose(actual.lower, expected.lower)
      expectClose(actual.upper, expected.upper)
      expectClose(actual.estimate, expected.estimate)
    },
  )
})
