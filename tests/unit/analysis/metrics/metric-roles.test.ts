import { describe, expect, it } from 'vitest'
import type { MetricSeries } from '../../../../electron/api/contract/index.ts'
import {
  asFraction,
  evaluationSplit,
  loggedAt,
  roleOfSeries,
  roleWords,
  seriesOfRole,
} from '../../../../native-models/analysis/metrics/index.ts'

function series(name: string, split: string | null = null, values: number[] = [1]): MetricSeries {
  return { name, split, points: values.map((value, epoch) => ({ epoch, step: null, value })) }
}

describe('roleOfSeries', () => {
  it.each([
    ['train_loss', null, { role: 'loss', split: 'train' }],
    ['val_acc', null, { role: 'accuracy', split: 'val' }],
    ['test_top1', null, { role: 'accuracy', split: 'test' }],
    ['test/Top-1', null, { role: 'accuracy', split: 'test' }],
    ['lr_end', null, { role: 'lr', split: null }],
    ['learning_rate', 'train', { role: 'lr', split: null }],
    ['accuracy', 'test', { role: 'accuracy', split: 'test' }],
    ['loss', null, { role: 'loss', split: null }],
    ['eval/nll', null, { role: 'loss', split: 'val' }],
  ])('reads %s (split %s) as %j', (name, split, expected) => {
    expect(roleOfSeries(name, split)).toEqual(expected)
  })

  it.each([['test_top5'], ['grad_norms/fc.weight'], ['epoch_time'], ['loss_over_acc']])(
    'gives %s no role',
    (name) => expect(roleOfSeries(name, null)).toBeNull(),
  )
})

describe('seriesOfRole', () => {
  const metrics = [
    series('train_loss'),
    series('test_acc', null, [0.5, 0.9]),
    series('test_acc_ema', null, [0.4, 0.8]),
    series('lr_start'),
    series('lr_end'),
  ]

  it('finds one series per split, preferring the plainest name', () => {
    const accuracy = seriesOfRole(metrics, 'accuracy')
    expect([...accuracy].map(([split, s]) => [split, s.name])).toEqual([['test', 'test_acc']])
    expect(seriesOfRole(metrics, 'lr').get(null)?.name).toBe('lr_end')
  })

  it('takes an explicit choice over the inferred one', () => {
    const chosen = seriesOfRole(metrics, 'accuracy', { 'accuracy/test': 'test_acc_ema' })
    expect(chosen.get('test')?.name).toBe('test_acc_ema')
    expect(loggedAt(metrics, 'accuracy', 'test', 1, { 'accuracy/test': 'test_acc_ema' })).toBe(0.8)
  })

  it('gives the value logged last in an epoch, or null', () => {
    expect(loggedAt(metrics, 'accuracy', 'test', 1)).toBe(0.9)
    expect(loggedAt(metrics, 'accuracy', 'test', 7)).toBeNull()
    expect(loggedAt(metrics, 'accuracy', 'val', 0)).toBeNull()
  })
})

describe('the held-out split and percent accuracies', () => {
  it('reports a role on test, else on val, else nowhere', () => {
    expect(evaluationSplit([series('val_acc'), series('test_acc')], 'accuracy')).toBe('test')
    expect(evaluationSplit([series('val_acc'), series('train_acc')], 'accuracy')).toBe('val')
    expect(evaluationSplit([series('train_loss')], 'loss')).toBeNull()
  })

  it('reads an accuracy logged in percent as a fraction', () => {
    expect(asFraction(series('test_acc', null, [45, 91.5]), 91.5)).toBeCloseTo(0.915)
    expect(asFraction(series('test_acc', null, [0.45, 0.915]), 0.915)).toBe(0.915)
  })

  it('names the words that give each role, for messages', () => {
    expect(roleWords('loss')).toEqual(['loss', 'nll', 'xent'])
    expect(roleWords('lr')).toEqual(['lr', 'learning_rate'])
  })
})
