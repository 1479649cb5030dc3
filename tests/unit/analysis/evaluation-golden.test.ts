import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { EvaluationResult } from '../../../electron/api/contract/index.ts'
import { createEvaluationAccumulator } from '../../../native-models/analysis/evaluate/evaluation.ts'
import type { EvaluationOptions } from '../../../native-models/analysis/evaluate/evaluation.ts'
import { expectMetricsClose } from './helpers/expect-metrics.ts'
import type { NumpyMetrics } from './helpers/expect-metrics.ts'

// Written by tests/reference/eval_metrics_golden.py (NumPy); see its "command".
interface GoldenCase {
  name: string
  numOutputs: number
  numClasses: number
  hasTrailingSoftmax: boolean
  labels: number[]
  outputs: number[]
  expected: NumpyMetrics
}

const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/goldens/eval-metrics.json', import.meta.url), 'utf8'),
) as { command: string; cases: GoldenCase[] }

function optionsOf(goldenCase: GoldenCase): EvaluationOptions {
  return {
    classes: Array.from({ length: goldenCase.numClasses }, (_, c) => `class ${c}`),
    numOutputs: goldenCase.numOutputs,
    hasTrailingSoftmax: goldenCase.hasTrailingSoftmax,
  }
}

/** Feeds the case in batches of `batchSize` images (the last one partial). */
function evaluateInBatches(goldenCase: GoldenCase, batchSize: number): EvaluationResult {
  const outputs = Float32Array.from(goldenCase.outputs)
  const labels = Int32Array.from(goldenCase.labels)
  const accumulator = createEvaluationAccumulator(optionsOf(goldenCase))
  for (let start = 0; start < labels.length; start += batchSize) {
    const end = Math.min(labels.length, start + batchSize)
    accumulator.add(
      outputs.subarray(start * goldenCase.numOutputs, end * goldenCase.numOutputs),
      labels.subarray(start, end),
    )
  }
  return accumulator.result()
}

describe.each(golden.cases)('evaluation of "$name"', (goldenCase) => {
  it('equals NumPy to 1e-9 when all images come in one batch', () => {
    const result = evaluateInBatches(goldenCase, goldenCase.labels.length)
    expectMetricsClose(result, goldenCase.expected, 1e-9)
    expect(result.numImages).toBe(goldenCase.labels.length)
  })

  it('gives the same numbers when the images stream in uneven batches', () => {
    const whole = evaluateInBatches(goldenCase, goldenCase.labels.length)
    const streamed = evaluateInBatches(goldenCase, 7)
    expectMetricsClose(streamed, goldenCase.expected, 1e-9)
    expect(streamed.confusion).toEqual(whole.confusion)
  })
})
