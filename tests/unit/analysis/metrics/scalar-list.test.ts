import { describe, expect, it } from 'vitest'
import type { MetricSeries } from '../../../../electron/api/contract/index.ts'
import {
  filterScalars,
  groupScalars,
  namePrefix,
  scalarKeys,
  scalarLabel,
  splitOfSeries,
} from '../../../../native-models/analysis/metrics/index.ts'
import type { ScalarGroup } from '../../../../native-models/analysis/metrics/index.ts'

const series = (name: string, split: string | null = null): MetricSeries => ({
  name,
  split,
  points: [{ epoch: 1, step: null, value: 1 }],
})

const titles = (groups: ScalarGroup[]): [string, string[]][] =>
  groups.map((g) => [g.title, g.scalars.map(scalarLabel)])

describe('the scalar list', () => {
  const runA = [
    series('train_loss'),
    series('test_acc'),
    series('lr_end'),
    series('eval/top5'),
    series('grad_norms/fc.weight'),
  ]
  const runB = [series('loss', 'train'), series('loss', 'test'), series('train_loss')]
  const keys = scalarKeys([runA, runB])

  it('lists each series of the runs once, sorted, without the gradient norms', () => {
    expect(keys.map(scalarLabel)).toEqual([
      'eval/top5',
      'loss · test',
      'loss · train',
      'lr_end',
      'test_acc',
      'train_loss',
    ])
  })

  it('takes the text before the first slash or underscore as the prefix', () => {
    expect(['train_loss', 'eval/top5', 'lr', 'val/acc_top1', '_x'].map(namePrefix)).toEqual([
      'train',
      'eval',
      'lr',
      'val',
      '_x',
    ])
  })

  it('groups by name prefix', () => {
    expect(titles(groupScalars(keys, 'prefix'))).toEqual([
      ['eval', ['eval/top5']],
      ['loss', ['loss · test', 'loss · train']],
      ['lr', ['lr_end']],
      ['test', ['test_acc']],
      ['train', ['train_loss']],
    ])
  })

  it('groups by the split field or the split the name says, series of no split last', () => {
    expect(titles(groupScalars(keys, 'split'))).toEqual([
      ['test', ['loss · test', 'test_acc']],
      ['train', ['loss · train', 'train_loss']],
      ['val', ['eval/top5']],
      ['no split', ['lr_end']],
    ])
    expect(splitOfSeries('top1', 'holdout')).toBe('holdout')
    expect(splitOfSeries('acc', 'Validation')).toBe('val')
  })

  it('keeps the series whose label holds every word of the filter, ignoring case', () => {
    expect(filterScalars(keys, 'LOSS').map(scalarLabel)).toEqual([
      'loss · test',
      'loss · train',
      'train_loss',
    ])
    expect(filterScalars(keys, 'test loss').map(scalarLabel)).toEqual(['loss · test'])
    expect(filterScalars(keys, '  ')).toHaveLength(keys.length)
    expect(filterScalars(keys, 'f1')).toEqual([])
  })
})
