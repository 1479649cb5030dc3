import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import type { LabeledFeatures } from '../../../../native-models/analysis/probes/feature-moments.ts'

// Made by tests/reference/probes_numpy.py (its header has the command).
export interface GoldenFoldedCase {
  k: number
  relative: number
  lambda: number
  foldedWeights: number[]
  bias: number[]
  testAccuracy: number
}

export interface GoldenPoint {
  basis: string
  fraction: number
  k: number
  seed: number
  regularization: number
  accuracy: number
  validationAccuracy: number
  cka: number | null
}

export interface GoldenStrength {
  fraction: number
  relative: number
  validationAccuracy: number
  validationAccuracies: number[]
}

export interface RidgeGolden {
  numTrain: number
  numTest: number
  dim: number
  classes: number
  train: { features: number[]; labels: number[] }
  test: { features: number[]; labels: number[] }
  cases: {
    subset: number[]
    relative: number
    lambda: number
    weights: number[]
    bias: number[]
    testAccuracy: number
    cka: number | null
  }[]
  pcaEigenvalues: number[]
  pcaCases: (GoldenFoldedCase & { end: 'top' | 'bottom' })[]
  projectionCases: (GoldenFoldedCase & { seed: number; width: number })[]
  endToEnd: {
    request: { fractions: number[]; seeds: number; validation: { fraction: number; seed: number } }
    validationRows: number[]
    subsets: { fraction: number; seed: number; indices: number[] }[]
    strengths: GoldenStrength[]
    projectionStrengths: GoldenStrength[]
    points: GoldenPoint[]
    fullAccuracy: number
    diffusedRedundancy: { delta: number; value: number | null; fraction: number | null }[]
    within5Points: number | null
  }
}

export const ridgeGolden = JSON.parse(
  readFileSync(
    new URL('../../../fixtures/goldens/probes/ridge-golden.json', import.meta.url),
    'utf8',
  ),
) as RidgeGolden

export function goldenFeatures(part: 'train' | 'test'): LabeledFeatures {
  const { features, labels } = ridgeGolden[part]
  return {
    features: Float32Array.from(features),
    labels: Int32Array.from(labels),
    n: labels.length,
  }
}

/** max |actual − expected| / max |expected|: the relative error of the whole array. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new RangeError(`Lengths differ: ${actual.length} vs ${expected.length}.`)
  }
  let difference = 0
  let scale = 0
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs(actual[i] - expected[i]))
    scale = Math.max(scale, Math.abs(expected[i]))
  }
  return difference / scale
}

// Below this every weight is rounding noise (a dead neuron or a null principal direction).
const VANISHING = 1e-9

/** Within 1e-6 relative of NumPy; where NumPy's weights vanish, ours must vanish too. */
export function expectWeightsClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  const largest = Math.max(...Array.from(expected, Math.abs))
  if (largest < VANISHING) expect(Math.max(...Array.from(actual, Math.abs))).toBeLessThan(VANISHING)
  else expect(relativeError(actual, expected)).toBeLessThan(1e-6)
}
