// The feature cache and the two analyses on it, run as the engine runs them, on a synthesized
// ResNet and Fashion-MNIST images: the cached features are the classifier's input, a second
// analysis on them runs no forward pass, and T3A's base accuracy is the evaluation's top-1.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  DatasetRequest,
  ProbesRequest,
  SynthRequest,
  T3aRequest,
} from '../../../electron/api/contract/index.ts'
import type { ResolvedJob } from '../../../native-models/engine/job-types.ts'
import { prepareFeatureModel } from '../../../native-models/engine/jobs/features/feature-model.ts'
import { openFeatureSet } from '../../../native-models/engine/jobs/features/feature-set.ts'
import { probesJob } from '../../../native-models/engine/jobs/probes/probes.ts'
import { t3aJob } from '../../../native-models/engine/jobs/t3a/t3a.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import {
  evaluateJobFor,
  evaluateObservingLogits,
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  fmnistTestImages,
  recordingContext,
} from '../jobs/evaluate-job-helpers.ts'

const SYNTH: SynthRequest = {
  depth: 18,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded: true,
  opset: 17,
  seed: 5,
  batch: 'dynamic',
  externalData: false,
}

let folder = ''
let modelPath = ''
let tensorCacheFolder = ''

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'feature-jobs-'))
  modelPath = join(folder, 'model.onnx')
  tensorCacheFolder = join(folder, 'workspace', 'tensors')
  await writeSynthesizedResNet(modelPath, SYNTH)
})

afterAll(() => rm(folder, { recursive: true, force: true }))

function resolved<R extends ProbesRequest | T3aRequest>(request: R): ResolvedJob<R> {
  return {
    jobId: 1,
    request,
    modelPath,
    modelSha256: 'synth-model',
    preprocessing: FMNIST_PREPROCESSING,
    dataset: request.dataset,
    tensorCacheFolder,
  }
}

const base = (dataset: DatasetRequest) => ({
  checkpointId: null,
  modelPath,
  dataset,
  preprocessing: FMNIST_PREPROCESSING,
  batchSize: 16,
  provider: 'cpu' as const,
})

function t3aRequest(overrides: Partial<T3aRequest> = {}): T3aRequest {
  return {
    kind: 't3a',
    ...base(fmnistTestImages(FMNIST_64_FOLDER, 48)),
    domains: null,
    filters: [1, 5, 'all'],
    allBehaviour: 'keep-every-support',
    streamBatch: 8,
    order: { kind: 'shuffle', seed: 3 },
    lastPartialBatch: 'predict',
    ...overrides,
  }
}

describe('the feature cache', () => {
  it('holds the input of the final layer: features · Wᵀ + b are the model’s logits', async () => {
    const dataset = fmnistTestImages(FMNIST_64_FOLDER, 20)
    const job = resolved(t3aRequest({ dataset }))
    const model = await prepareFeatureModel(job, { tap: null, pooling: 'mean' })
    const set = await openFeatureSet(
      job,
      model,
      { dataset, corruption: null, label: 'test' },
      recordingContext(),
    )
    const { logits } = await evaluateObservingLogits(evaluateJobFor(modelPath, { dataset }))
    const { weights, bias, classes, dim } = model.classifier
    let worst = 0
    for (let i = 0; i < set.size; i++)
      for (let c = 0; c < classes; c++) {
        let z = bias[c]
        for (let j = 0; j < dim; j++) z += set.features[i * dim + j] * weights[c * dim + j]
        worst = Math.max(worst, Math.abs(z - logits[i * classes + c]))
      }
    expect(set.size).toBe(20)
    expect(worst).toBeLessThan(1e-4)
  })

  it('answers a second analysis on the same images with no forward pass', async () => {
    const first = await t3aJob(resolved(t3aRequest()), recordingContext())
    const again = recordingContext()
    const second = await t3aJob(resolved(t3aRequest({ filters: [20] })), again)
    expect(first.parameters.forwardPasses).toBe(48)
    expect(second.parameters.forwardPasses).toBe(0)
    expect(second.payload.domains[0].features).toMatchObject({ cache: 'hit', forwardPasses: 0 })
    expect(again.reports.some((r) => r.stage.startsWith('features'))).toBe(false)
    expect(second.payload.domains[0].base).toEqual(first.payload.domains[0].base)
    expect(await readdir(join(folder, 'workspace', 'features'))).not.toHaveLength(0)
  })
})

describe('T3A on cached features', () => {
  it('has the evaluation’s top-1 as its base accuracy, and one result per filter M', async () => {
    const dataset = fmnistTestImages(FMNIST_64_FOLDER, 48)
    const { output } = await evaluateObservingLogits(evaluateJobFor(modelPath, { dataset }))
    const { payload } = await t3aJob(resolved(t3aRequest()), recordingContext())
    const domain = payload.domains[0]
    expect(domain.base.accuracy).toBeCloseTo(output.payload.top1, 12)
    expect(domain.filters.map((f) => f.filter)).toEqual([1, 5, 'all'])
    expect(domain.predicted).toBe(48)
    for (const filter of domain.filters) {
      expect(filter.interval.lower).toBeLessThanOrEqual(filter.accuracy)
      expect(filter.interval.upper).toBeGreaterThanOrEqual(filter.accuracy)
      expect(filter.delta.value).toBeCloseTo(filter.accuracy - domain.base.accuracy, 12)
      expect(filter.supports.batches.at(-1)).toBe(5)
    }
  })

  it('adapts to each corruption cell from a reset state, its features cached apart from the clean ones', async () => {
    const dataset = fmnistTestImages(FMNIST_64_FOLDER, 24)
    const cell = {
      name: 'gaussian_noise',
      severity: 5,
      seed: 0,
      jpegQuality: null,
      padding: 'before',
    } as const
    const domains = [
      { label: 'clean', dataset, corruption: null },
      { label: 'gaussian_noise 5', dataset, corruption: cell },
    ]
    const { payload } = await t3aJob(resolved(t3aRequest({ dataset, domains })), recordingContext())
    const [clean, noisy] = payload.domains
    expect(noisy.corruption).toEqual(cell)
    expect(noisy.features.cache).toBe('computed')
    expect(noisy.base.meanEntropy).not.toBeCloseTo(clean.base.meanEntropy, 6)
    const alone = await t3aJob(
      resolved(t3aRequest({ dataset, domains: [domains[1]] })),
      recordingContext(),
    )
    expect(alone.payload.domains[0].filters).toEqual(noisy.filters)
    expect(alone.payload.domains[0].features.cache).toBe('hit')
  })
})

describe('neuron-subset probes on cached features', () => {
  it('fit ridge probes at every fraction, the baselines and an exact logistic probe', async () => {
    const request: ProbesRequest = {
      kind: 'probes',
      ...base(fmnistTestImages(FMNIST_64_FOLDER, 64)),
      testDataset: fmnistTestImages(FMNIST_64_FOLDER, 32),
      layer: { tap: null, pooling: 'mean' },
      fractions: [0.05, 0.25, 0.5],
      seeds: 2,
      validation: { fraction: 0.25, seed: 0 },
      ridgeGrid: null,
      baselines: { pca: true, randomProjection: true },
      exact: { fractions: [0.5], seeds: 1, weightDecay: 1e-2 },
    }
    const { payload, parameters } = await probesJob(resolved(request), recordingContext())
    const neurons = payload.points.filter((p) => p.basis === 'neurons' && p.solver === 'ridge')
    expect(neurons.map((p) => [p.fraction, p.seed])).toEqual([
      [0.05, 1],
      [0.05, 2],
      [0.25, 1],
      [0.25, 2],
      [0.5, 1],
      [0.5, 2],
      [1, 0],
    ])
    expect(payload.points.filter((p) => p.solver === 'logistic')).toHaveLength(1)
    expect(new Set(payload.points.map((p) => p.basis))).toEqual(
      new Set(['neurons', 'pca-top', 'pca-bottom', 'random-projection']),
    )
    expect(payload.fullLayer.accuracy).toBe(neurons.at(-1)!.accuracy)
    expect(neurons.at(-1)!.cka).toBeCloseTo(1, 9)
    expect(payload.numTrain + payload.numValidation).toBeGreaterThan(0)
    expect(payload.features.test.numImages).toBe(32)
    expect(typeof parameters.forwardPasses).toBe('number')
  })
})
