import { describe, expect, it } from 'vitest'
import type { DatasetEntry, DatasetRequest } from '../../../electron/api/contract/index.ts'
import {
  datasetGroups,
  selectionText,
} from '../../../renderer/src/components/datasets/dataset-groups.ts'

function entry(id: number, request: Partial<DatasetRequest>, numImages: number, classes = 10) {
  const full: DatasetRequest = {
    path: '/data/fmnist',
    format: 'idx',
    split: 't10k',
    holdout: null,
    classes: null,
    sample: null,
    limit: null,
    ...request,
  }
  return {
    id,
    name: 'fmnist (t10k)',
    format: 'idx',
    path: full.path,
    split: full.split,
    numImages,
    classes: Array.from({ length: classes }, (_, i) => String(i)),
    fingerprint: String(id),
    itemShape: [28, 28],
    request: full,
    isSynthetic: false,
  } as DatasetEntry
}

describe('datasetGroups', () => {
  it('shows one row per folder and split, its selections beneath, the known class count', () => {
    const groups = datasetGroups([
      entry(1, { limit: 1000 }, 1000, 0),
      entry(2, {}, 10000),
      entry(3, { sample: { count: 2000, seed: 0 } }, 2000, 0),
      entry(4, { split: 'train' }, 60000),
    ])
    expect(groups.map((g) => [g.main.id, g.selections.map((s) => s.id), g.classCount])).toEqual([
      [2, [3, 1], 10],
      [4, [], 10],
    ])
  })
})

describe('selectionText', () => {
  it.each([
    [{}, 'all'],
    [{ limit: 1000 }, 'first 1,000'],
    [{ sample: { count: 2000, seed: 3 } }, 'a sample of 2,000 (seed 3)'],
    [
      { holdout: { fraction: 0.1, seed: 0, part: 'holdout' as const }, limit: 500 },
      'holdout 10 % (seed 0) · first 500',
    ],
    [
      {
        corrupted: {
          layout: 'cifar-10-c' as const,
          corruption: 'fog' as const,
          severity: 3 as const,
        },
        limit: 500,
      },
      'fog · severity 3 · first 500',
    ],
  ])('names %j as %s', (request, text) => {
    expect(selectionText(entry(1, request, 1).request)).toBe(text)
  })
})
