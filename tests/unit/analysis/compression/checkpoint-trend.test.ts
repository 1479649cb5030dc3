import { describe, expect, it } from 'vitest'
import { siteTrends } from '../../../../native-models/analysis/compression/index.ts'
import type { CheckpointSiteStatistics } from '../../../../native-models/analysis/compression/index.ts'

const checkpoints: CheckpointSiteStatistics[] = [
  {
    checkpoint: 'epoch_1',
    sites: [
      {
        site: 'conv-input:layer1.0.conv2',
        maxAbs: [2, 4],
        zeroCount: [5, 15],
        elementsPerChannel: 20,
      },
      { site: 'bn-input:layer1.0.bn1', maxAbs: [1], zeroCount: [0], elementsPerChannel: 8 },
    ],
  },
  {
    // Sites in another order: they are matched by name.
    checkpoint: 'epoch_2',
    sites: [
      { site: 'bn-input:layer1.0.bn1', maxAbs: [3], zeroCount: [2], elementsPerChannel: 8 },
      {
        site: 'conv-input:layer1.0.conv2',
        maxAbs: [4, 6],
        zeroCount: [10, 10],
        elementsPerChannel: 20,
      },
    ],
  },
]

describe('siteTrends', () => {
  it('gives per site the channel means and their change between consecutive checkpoints', () => {
    // conv: max means 3 → 5 (+2); zero fractions (0.25 + 0.75)/2 = 0.5 → (0.5 + 0.5)/2 = 0.5 (0).
    // bn:   max 1 → 3 (+2); zero fraction 0 → 2/8 = 0.25 (+0.25).
    expect(siteTrends(checkpoints)).toEqual([
      {
        site: 'conv-input:layer1.0.conv2',
        points: [
          {
            checkpoint: 'epoch_1',
            meanMaxAbs: 3,
            zeroFraction: 0.5,
            meanMaxAbsChange: null,
            zeroFractionChange: null,
          },
          {
            checkpoint: 'epoch_2',
            meanMaxAbs: 5,
            zeroFraction: 0.5,
            meanMaxAbsChange: 2,
            zeroFractionChange: 0,
          },
        ],
      },
      {
        site: 'bn-input:layer1.0.bn1',
        points: [
          {
            checkpoint: 'epoch_1',
            meanMaxAbs: 1,
            zeroFraction: 0,
            meanMaxAbsChange: null,
            zeroFractionChange: null,
          },
          {
            checkpoint: 'epoch_2',
            meanMaxAbs: 3,
            zeroFraction: 0.25,
            meanMaxAbsChange: 2,
            zeroFractionChange: 0.25,
          },
        ],
      },
    ])
  })

  it('refuses no checkpoints, a missing site and mismatched channel counts', () => {
    expect(() => siteTrends([])).toThrow(/at least one checkpoint/)
    expect(() =>
      siteTrends([checkpoints[0], { checkpoint: 'epoch_3', sites: [checkpoints[0].sites[0]] }]),
    ).toThrow(/Checkpoint 'epoch_3' has no statistics for site 'bn-input:layer1.0.bn1'/)
    expect(() =>
      siteTrends([
        {
          checkpoint: 'e',
          sites: [{ site: 's', maxAbs: [1, 2], zeroCount: [0], elementsPerChannel: 4 }],
        },
      ]),
    ).toThrow(/Site 's' has 2 max \|x\| values and 1 zero counts/)
  })
})
