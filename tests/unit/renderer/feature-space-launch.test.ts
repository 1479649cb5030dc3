import { describe, expect, it } from 'vitest'
import {
  DEFAULT_PROBE_FRACTIONS,
  DEFAULT_T3A_FILTERS,
} from '../../../electron/api/contract/index.ts'
import type {
  CheckpointJobBase,
  CorruptionCell,
  DatasetRequest,
  ResultSummary,
} from '../../../electron/api/contract/index.ts'
import {
  defaultProbesOptions,
  probesRequest,
  probesRequestLike,
} from '../../../renderer/src/analyses/probes/launch.ts'
import {
  defaultT3aOptions,
  parseFilters,
  t3aRequest,
} from '../../../renderer/src/analyses/t3a/launch.ts'
import { storedSweeps } from '../../../renderer/src/analyses/t3a/sweep-domains.ts'
import { protocolText } from '../../../renderer/src/analyses/t3a/t3a-text.ts'

const train: DatasetRequest = {
  path: '/data/fmnist',
  format: 'auto',
  split: 'train',
  holdout: null,
  classes: ['a', 'b'],
  sample: { count: 5000, seed: 0 },
  limit: null,
}
const test: DatasetRequest = { ...train, split: 't10k', sample: null }

const base: CheckpointJobBase = {
  checkpointId: 4,
  modelPath: null,
  dataset: train,
  preprocessing: null,
  batchSize: null,
  provider: 'auto',
}

describe('the probes launcher', () => {
  it('asks for the paper’s fractions, 5 seeds, a 10 % validation split and both baselines', () => {
    const request = probesRequest(base, { ...defaultProbesOptions(), testDataset: test })
    expect(request).toMatchObject({
      kind: 'probes',
      dataset: train,
      testDataset: { ...test, sample: { count: 2000, seed: 0 } },
      layer: { tap: null, pooling: 'mean' },
      fractions: [...DEFAULT_PROBE_FRACTIONS],
      seeds: 5,
      validation: { fraction: 0.1, seed: 0 },
      ridgeGrid: null,
      baselines: { pca: true, randomProjection: true },
      exact: null,
    })
  })

  it('reads every image of the test set when its sample is emptied', () => {
    const options = { ...defaultProbesOptions(), testDataset: test, testSampleCount: null }
    expect(probesRequest(base, options).testDataset).toEqual(test)
  })

  it('splits the training set into a seeded hold-out when no test set is chosen', () => {
    const request = probesRequest(base, defaultProbesOptions())
    expect(request.dataset.holdout).toEqual({ fraction: 0.2, seed: 0, part: 'rest' })
    expect(request.testDataset.holdout).toEqual({ fraction: 0.2, seed: 0, part: 'holdout' })
    expect(request.testDataset.path).toBe(train.path)
  })

  it('adds exact logistic probes at the listed fractions when asked', () => {
    const options = { ...defaultProbesOptions(), hasExact: true, exactFractions: '0.1; 1' }
    expect(probesRequest(base, options).exact).toEqual({
      fractions: [0.1, 1],
      seeds: 1,
      weightDecay: 5e-4,
    })
  })

  it('keeps the stored training images of a result when asking for the same probes again', () => {
    const stored = probesRequest(base, defaultProbesOptions())
    const { kind: _k, checkpointId: _c, dataset, ...parameters } = stored
    const again = probesRequestLike({ ...base, dataset }, parameters)
    expect(again).toEqual(stored)
  })
})

describe('the T3A launcher', () => {
  it('runs the reference grid on a seeded shuffle in batches of 32 by default', () => {
    expect(t3aRequest(base, defaultT3aOptions())).toMatchObject({
      kind: 't3a',
      domains: null,
      filters: [...DEFAULT_T3A_FILTERS],
      allBehaviour: 'keep-every-support',
      streamBatch: 32,
      order: { kind: 'shuffle', seed: 0 },
      lastPartialBatch: 'predict',
    })
  })

  it('reads M = all in any case and leaves other words for the service to refuse', () => {
    expect(parseFilters('1, 5 ALL')).toEqual([1, 5, 'all'])
    expect(parseFilters('five')).toEqual([NaN])
  })

  it('makes one domain per folder with the launcher’s class names and sample', () => {
    const options = {
      ...defaultT3aOptions(),
      domainsFrom: 'folders' as const,
      folderPaths: '/data/PACS/photo/\n\n  /data/PACS/sketch',
    }
    const { domains } = t3aRequest(base, options)
    expect(domains?.map((d) => d.label)).toEqual(['photo', 'sketch'])
    expect(domains?.[1]).toEqual({
      label: 'sketch',
      dataset: {
        ...train,
        path: '/data/PACS/sketch',
        split: null,
        holdout: null,
        corrupted: null,
      },
      corruption: null,
    })
  })

  it('labels a request on a stored sweep’s cells with the sweep’s images, not the launcher’s', () => {
    const sweepImages = { ...test, sample: { count: 300, seed: 0 } }
    const options = {
      ...defaultT3aOptions(),
      domainsFrom: 'sweep' as const,
      sweepDomains: [{ label: 'clean', dataset: sweepImages, corruption: null }],
    }
    expect(t3aRequest(base, options).dataset).toEqual(sweepImages)
    expect(t3aRequest(base, defaultT3aOptions()).dataset).toEqual(train)
  })

  it('states a dataset-order stream and a dropped last batch in words', () => {
    const text = protocolText({
      order: { kind: 'dataset' },
      streamBatch: 32,
      lastPartialBatch: 'drop',
      allBehaviour: 'reference-drops-highest-entropy',
    })
    expect(text).toContain('sorted by class')
    expect(text).toContain('drop_last')
    expect(text).toContain('as the reference code')
  })
})

function evaluation(
  id: number,
  checkpointId: number,
  corruption: CorruptionCell | null,
  dataset: DatasetRequest = test,
): ResultSummary {
  return {
    id,
    checkpointId,
    kind: 'evaluate',
    provenance: {
      dataset,
      datasetFingerprint: 'fp-test',
      parameters: corruption ? { corruption } : {},
    },
  } as unknown as ResultSummary
}

const cell = (name: CorruptionCell['name'], severity: CorruptionCell['severity']) =>
  ({ name, severity, seed: 0, jpegQuality: null, padding: 'before' }) as CorruptionCell

describe('the domains of a stored corruption sweep', () => {
  it('list the clean images, then every cell in the protocol’s order, once each', () => {
    const evaluations = [
      evaluation(1, 7, null),
      evaluation(2, 7, cell('fog', 1)),
      evaluation(3, 7, cell('gaussian_noise', 2)),
      evaluation(4, 8, cell('gaussian_noise', 1)),
      evaluation(5, 8, cell('fog', 1)),
    ]
    const [sweep, ...others] = storedSweeps(evaluations, (id) => `ckpt${id}`)
    expect(others).toHaveLength(0)
    expect(sweep.domains.map((d) => d.label)).toEqual([
      'clean',
      'gaussian_noise 1',
      'gaussian_noise 2',
      'fog 1',
    ])
    expect(sweep.domains[3]).toEqual({ label: 'fog 1', dataset: test, corruption: cell('fog', 1) })
    expect(sweep.checkpointIds).toEqual([7, 8])
    expect(sweep.label).toContain('2 corruptions × 2 severities · ckpt7, ckpt8')
  })

  it('keep sweeps with another seed apart, and read precomputed cells from their slice', () => {
    const reseeded = { ...cell('fog', 1), seed: 3 }
    const slice = { layout: 'cifar-10-c', corruption: 'snow', severity: 5 } as const
    const sweeps = storedSweeps(
      [
        evaluation(1, 7, cell('fog', 1)),
        evaluation(2, 7, reseeded),
        evaluation(3, 7, null, { ...test, path: '/data/c10c', corrupted: slice }),
      ],
      String,
    )
    expect(sweeps).toHaveLength(3)
    expect(sweeps[2].domains).toEqual([
      {
        label: 'snow 5',
        dataset: { ...test, path: '/data/c10c', corrupted: slice },
        corruption: null,
      },
    ])
  })
})
