import { describe, expect, it } from 'vitest'
import { joinWeightNoiseShards } from '../../../electron/api/analyses/weight-noise/shards.ts'
import type {
  Provenance,
  WeightNoiseRequest,
  WeightNoiseResult,
  WeightNoiseSample,
} from '../../../electron/api/contract/index.ts'
import { provenanceDifference } from '../../../electron/api/merge/provenance-match.ts'
import {
  noisePlan,
  summariseNoiseLevels,
} from '../../../native-models/analysis/robustness/weight-noise/index.ts'

const request = { sigmas: [0.2, 0, 0.1], samples: 3 } as WeightNoiseRequest

function sampleOf(unit: { sigma: number; sample: number }): WeightNoiseSample {
  const drop = unit.sigma * (1 + unit.sample / 10)
  return { ...unit, top1: 0.9 - drop, top5: 0.99 - drop / 2, nll: 0.3 + drop }
}

function payloadOf(samples: WeightNoiseSample[]): WeightNoiseResult {
  return {
    numImages: 64,
    scope: 'weights',
    seed: 0,
    isBnFolded: true,
    perturbed: { tensors: 21, parameters: 11_000_000 },
    levels: summariseNoiseLevels(samples),
    samples,
  }
}

describe('joinWeightNoiseShards', () => {
  it('gives the unsharded payload from three shards, whatever order their samples come in', () => {
    const whole = payloadOf(noisePlan(request).map(sampleOf))
    const shards = [0, 1, 2].map((index) =>
      payloadOf(noisePlan(request, { index, count: 3 }).map(sampleOf).reverse()),
    )
    expect(joinWeightNoiseShards(request, shards)).toEqual(whole)
  })

  it('refuses shards that lack a (σ, sample) of the grid, naming it', () => {
    const shards = [payloadOf(noisePlan(request, { index: 0, count: 2 }).map(sampleOf))]
    expect(() => joinWeightNoiseShards(request, shards)).toThrow(/lack σ = 0.1, sample 0/)
  })
})

const provenance: Provenance = {
  modelSha256: 'a'.repeat(64),
  modelFile: '/runs/seed0/epoch_9.onnx',
  datasetFingerprint: 'b'.repeat(64),
  dataset: {} as Provenance['dataset'],
  preprocessing: { pad: 2 } as unknown as Provenance['preprocessing'],
  parameters: { corruption: { name: 'fog', severity: 3 } },
  providers: { requested: 'auto', attached: ['cpu'], nodePlacement: {}, fallbackReason: null },
  appVersion: '0.1.0',
  createdAt: '2026-12-06T10:00:00Z',
  elapsedMs: 1000,
  batchSize: 64,
}

describe('provenanceDifference', () => {
  it('accepts the same computation made later, taking longer, with another batch size', () => {
    const later = { ...provenance, createdAt: '2026-12-07T00:00:00Z', elapsedMs: 5, batchSize: 8 }
    expect(provenanceDifference(provenance, later)).toBeNull()
  })

  it('accepts images read through a cache in one workspace and decoded in the other', () => {
    const hit = { ...provenance, parameters: { ...provenance.parameters, tensorCache: 'hit' } }
    const miss = { ...provenance, parameters: { ...provenance.parameters, tensorCache: 'miss' } }
    expect(provenanceDifference(hit, miss)).toBeNull()
  })

  it('names another dataset content with both fingerprints shortened', () => {
    const other = { ...provenance, datasetFingerprint: 'c'.repeat(64) }
    expect(provenanceDifference(provenance, other)).toBe(
      'dataset fingerprint bbbbbbbbbbbb… vs cccccccccccc…',
    )
  })

  it('names another runtime when ONNX Runtime attached other execution providers', () => {
    const cuda = {
      ...provenance,
      providers: { ...provenance.providers, attached: ['cuda', 'cpu'] },
    }
    expect(provenanceDifference(provenance, cuda)).toMatch(/^execution providers/)
  })

  it('names other parameters whatever the key order', () => {
    const reordered = { ...provenance, parameters: { corruption: { severity: 3, name: 'fog' } } }
    expect(provenanceDifference(provenance, reordered)).toBeNull()
    const other = { ...provenance, parameters: { corruption: { name: 'fog', severity: 4 } } }
    expect(provenanceDifference(provenance, other)).toMatch(/^parameters/)
  })
})
