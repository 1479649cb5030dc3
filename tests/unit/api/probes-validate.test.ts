import { describe, expect, it } from 'vitest'
import type { ProbesRequest } from '../../../electron/api/contract/index.ts'
import { validateProbes } from '../../../electron/api/analyses/probes/validate.ts'
import { RequestError } from '../../../electron/api/errors.ts'

const dataset = (path: string) => ({
  path,
  format: 'idx' as const,
  split: 'train',
  holdout: null,
  classes: null,
  sample: null,
  limit: null,
})

const VALID: ProbesRequest = {
  kind: 'probes',
  checkpointId: 3,
  modelPath: null,
  dataset: dataset('/data/fmnist'),
  preprocessing: null,
  batchSize: 64,
  provider: 'cpu',
  testDataset: { ...dataset('/data/fmnist'), split: 't10k' },
  layer: { tap: null, pooling: 'mean' },
  fractions: [0.1, 0.5, 1],
  seeds: 3,
  validation: { fraction: 0.2, seed: 0 },
  ridgeGrid: null,
  baselines: { pca: true, randomProjection: false },
  exact: { fractions: [0.5], seeds: 1, weightDecay: 1e-3 },
}

/** The refusal of `VALID` with `changes`, as a RequestError's message. */
function refusal(changes: Record<string, unknown>): string {
  let error: unknown = null
  try {
    validateProbes({ ...VALID, ...changes })
  } catch (thrown) {
    error = thrown
  }
  expect(error).toBeInstanceOf(RequestError)
  expect((error as RequestError).code).toBe('INVALID_ARGUMENT')
  return (error as RequestError).message
}

describe('validateProbes', () => {
  it('passes a complete request, its fractions and ridge grid sorted without repeats', () => {
    const checked = validateProbes({
      ...VALID,
      fractions: [0.5, 0.05, 1, 0.5],
      ridgeGrid: [10, 0.1, 1],
      exact: { fractions: [1, 0.25, 0.25], seeds: 2, weightDecay: 0 },
    })
    expect(checked.fractions).toEqual([0.05, 0.5, 1])
    expect(checked.ridgeGrid).toEqual([0.1, 1, 10])
    expect(checked.exact).toEqual({ fractions: [0.25, 1], seeds: 2, weightDecay: 0 })
    expect(checked.testDataset).toEqual(VALID.testDataset)
  })

  it('reads an absent exact block as no exact probes', () => {
    expect(validateProbes({ ...VALID, exact: undefined as never }).exact).toBeNull()
  })

  it.each([[[]], [[0]], [[-0.1]], [[1.01]], [[Number.NaN]], [['0.5']], [null]])(
    'refuses fractions %j, naming the field and the range (0, 1]',
    (fractions) => {
      expect(refusal({ fractions })).toMatch(/^(Each of )?fractions must .*\(0, 1\]/)
    },
  )

  it('refuses more than 64 fractions', () => {
    const fractions = Array.from({ length: 65 }, (_, i) => (i + 1) / 65)
    expect(refusal({ fractions })).toContain('fractions must list 1 to 64 fractions')
  })

  it.each([[0], [51], [1.5], ['2']])('refuses seeds = %j', (seeds) => {
    expect(refusal({ seeds })).toContain('seeds must be a whole number from 1 to 50')
  })

  it.each([
    [{ fraction: 0, seed: 0 }],
    [{ fraction: 0.9, seed: 0 }],
    [{ fraction: -0.2, seed: 0 }],
    [{ fraction: 0.2, seed: -1 }],
    [{ fraction: 0.2, seed: 0.5 }],
    [{ fraction: '0.2', seed: 0 }],
    [{ seed: 0 }],
    [null],
  ])('refuses validation %j, giving the allowed range', (validation) => {
    expect(refusal({ validation })).toContain(
      'validation must be { fraction in (0, 0.9), seed ≥ 0 }',
    )
  })

  it.each([[[]], [[0]], [[-1, 1]], [[Number.POSITIVE_INFINITY]], [['1']], [1]])(
    'refuses ridgeGrid %j',
    (ridgeGrid) => {
      expect(refusal({ ridgeGrid })).toContain(
        'ridgeGrid must be null (the default grid) or a list of positive numbers',
      )
    },
  )

  it.each([[null], [{ pca: true }], [{ pca: 'yes', randomProjection: false }]])(
    'refuses baselines %j',
    (baselines) => {
      expect(refusal({ baselines })).toContain('baselines must be { pca: true or false')
    },
  )

  it.each([
    [null, 'layer must be'],
    [{ tap: '', pooling: 'mean' }, 'layer.tap must be null'],
    [{ tap: 3, pooling: 'mean' }, 'layer.tap must be null'],
    [{ tap: null, pooling: 'max' }, "layer.pooling must be 'mean' or 'none', got 'max'"],
  ])('refuses layer %j', (layer, phrase) => {
    expect(refusal({ layer })).toContain(phrase)
  })

  it.each([
    [{ fractions: [], seeds: 1, weightDecay: 0 }, 'exact.fractions must list 1 to 64'],
    [
      { fractions: [0], seeds: 1, weightDecay: 0 },
      'Each of exact.fractions must be a number in (0, 1]',
    ],
    [{ fractions: [0.5], seeds: 0, weightDecay: 0 }, 'exact.seeds must be a whole number'],
    [{ fractions: [0.5], seeds: 1, weightDecay: -1 }, 'exact.weightDecay must be a number ≥ 0'],
    [{ fractions: [0.5], seeds: 1, weightDecay: Number.NaN }, 'exact.weightDecay must be'],
  ])('refuses exact %j', (exact, phrase) => {
    expect(refusal({ exact })).toContain(phrase)
  })

  it('names testDataset when the test set is malformed', () => {
    expect(refusal({ testDataset: { ...VALID.testDataset, path: '' } })).toBe(
      'testDataset is not usable: path must name a dataset folder.',
    )
    expect(refusal({ testDataset: undefined })).toBe(
      'testDataset is not usable: it must be an object with a path.',
    )
  })

  it('still checks the fields every checkpoint job shares', () => {
    expect(refusal({ checkpointId: null, modelPath: null })).toContain(
      'A job needs a checkpointId or a modelPath',
    )
    expect(refusal({ dataset: { ...VALID.dataset, path: '' } })).toContain(
      'path must name a dataset folder',
    )
  })
})
