import { describe, expect, it } from 'vitest'
import { javascriptProducts } from '../../../../native-models/analysis/linear-algebra/dense-products.ts'
import type { ProbeProgress } from '../../../../native-models/analysis/probes/probe-run-types.ts'
import type { RidgeProbesInput } from '../../../../native-models/analysis/probes/probe-run-types.ts'
import { runRidgeProbes } from '../../../../native-models/analysis/probes/run-ridge-probes.ts'
import { goldenFeatures, ridgeGolden } from './ridge-golden.ts'

const expected = ridgeGolden.endToEnd
const input: RidgeProbesInput = {
  train: goldenFeatures('train'),
  test: goldenFeatures('test'),
  dim: ridgeGolden.dim,
  classes: ridgeGolden.classes,
  fractions: expected.request.fractions,
  seeds: expected.request.seeds,
  validation: expected.request.validation,
  ridgeGrid: null,
  baselines: { pca: true, randomProjection: true },
}
const progress: ProbeProgress[] = []
const result = await runRidgeProbes(input, javascriptProducts, {
  chunkRows: 128,
  onProgress: (p) => progress.push(p),
})

const keyOf = (p: { basis: string; fraction: number; seed: number }): string =>
  `${p.basis} f=${p.fraction} seed=${p.seed}`

describe('runRidgeProbes against the NumPy replay of the whole protocol', () => {
  it('holds out the same seeded validation rows and samples the same subsets', () => {
    expect(result.numValidation).toBe(expected.validationRows.length)
    expect(result.subsets.map((s) => ({ ...s, indices: [...s.indices] }))).toEqual(expected.subsets)
  })

  it('chooses the same relative ridge strength per fraction on the validation part', () => {
    expect(result.strengths).toEqual(expected.strengths)
  })

  it('chooses the random projections’ own strength per fraction with seed 1’s projection', () => {
    expect(result.projectionStrengths).toEqual(expected.projectionStrengths)
    const differs = expected.projectionStrengths.some(
      (choice, i) => choice.relative !== expected.strengths[i].relative,
    )
    expect(differs).toBe(true)
  })

  it('reports every probe point with NumPy’s test top-1, λ and CKA', () => {
    const byKey = new Map(result.points.map((p) => [keyOf(p), p]))
    expect(result.points).toHaveLength(expected.points.length)
    for (const golden of expected.points) {
      const point = byKey.get(keyOf(golden))
      expect(point, keyOf(golden)).toBeDefined()
      if (point === undefined) continue
      expect(point.k).toBe(golden.k)
      expect(point.accuracy, keyOf(golden)).toBe(golden.accuracy)
      expect(point.validationAccuracy).toBe(golden.validationAccuracy)
      expect(Math.abs(point.regularization / golden.regularization - 1)).toBeLessThan(1e-9)
      if (golden.cka === null) expect(point.cka).toBeNull()
      else expect(Math.abs((point.cka ?? NaN) - golden.cka)).toBeLessThan(1e-9)
    }
  })

  it('summarises the full layer, DR_δ and the within-5-points fraction as NumPy does', () => {
    expect(result.fullLayer.accuracy).toBe(expected.fullAccuracy)
    expect(result.fullLayer.interval.lower).toBeLessThan(expected.fullAccuracy)
    expect(result.fullLayer.interval.upper).toBeGreaterThan(expected.fullAccuracy)
    expect(result.diffusedRedundancy).toEqual(expected.diffusedRedundancy)
    expect(result.within5Points).toBe(expected.within5Points)
  })

  it('has one curve point per basis and fraction, over the seeds', () => {
    const neurons = result.curve.filter((p) => p.basis === 'neurons')
    expect(neurons.map((p) => p.fraction)).toEqual([...expected.request.fractions, 1])
    expect(neurons.map((p) => p.seeds)).toEqual([3, 3, 3, 3, 3, 3, 1])
    const projections = result.curve.filter((p) => p.basis === 'random-projection')
    expect(projections.every((p) => p.seeds === 3 && p.cka === null)).toBe(true)
    expect(result.curve.filter((p) => p.basis === 'pca-top')).toHaveLength(6)
  })

  it('reports row progress, then probe progress up to its total', () => {
    const moments = progress.filter((p) => p.stage === 'moments')
    expect(moments.at(-1)).toEqual({ stage: 'moments', done: 600, total: 600 })
    const probes = progress.filter((p) => p.stage === 'probes')
    expect(probes.map((p) => p.done)).toEqual(probes.map((_, i) => i + 1))
    // 7 fractions × (8 grid fits) + 6×3 + 1 subset fits + 6×2 PCA probes
    // + 6 fractions × (8 grid fits) + 6×3 projection probes.
    expect(probes.at(-1)).toEqual({ stage: 'probes', done: 153, total: 153 })
  })
})

describe('runRidgeProbes inputs and cancellation', () => {
  it('is reproducible: the same input gives the same points', async () => {
    const small = { ...input, fractions: [0.1], seeds: 2 }
    const first = await runRidgeProbes(small, javascriptProducts)
    const second = await runRidgeProbes(small, javascriptProducts)
    expect(second.points).toEqual(first.points)
  })

  it('stops between probes once the signal is aborted', async () => {
    const controller = new AbortController()
    const run = runRidgeProbes(input, javascriptProducts, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'probes' && p.done === 3) controller.abort()
      },
    })
    await expect(run).rejects.toThrow(/abort/i)
  })

  it('refuses a fraction outside (0, 1], naming it', async () => {
    await expect(runRidgeProbes({ ...input, fractions: [0] }, javascriptProducts)).rejects.toThrow(
      /Probe fraction must be in \(0, 1\], got 0\./,
    )
  })

  it('refuses labels outside 0..C−1 and features of the wrong length', async () => {
    const labels = Int32Array.from(input.test.labels)
    labels[5] = 4
    await expect(
      runRidgeProbes({ ...input, test: { ...input.test, labels } }, javascriptProducts),
    ).rejects.toThrow(/test label of row 5 must be in 0\.\.3, got 4/)
    await expect(
      runRidgeProbes({ ...input, test: { ...input.test, n: 199 } }, javascriptProducts),
    ).rejects.toThrow(/test features should hold 199×48/)
  })

  it('refuses a ridge grid with a non-positive strength', async () => {
    await expect(
      runRidgeProbes({ ...input, ridgeGrid: [1e-3, 0] }, javascriptProducts),
    ).rejects.toThrow(/Ridge strengths must be positive and finite, got 0\./)
  })

  it('refuses a validation fraction outside (0, 1)', async () => {
    await expect(
      runRidgeProbes({ ...input, validation: { fraction: 1, seed: 0 } }, javascriptProducts),
    ).rejects.toThrow(/Validation fraction must be in \(0, 1\), got 1\./)
  })
})
