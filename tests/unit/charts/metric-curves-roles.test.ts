import type { EChartsOption, LineSeriesOption } from 'echarts'
import { describe, expect, it } from 'vitest'
import type { MetricSeries, RunDetail } from '../../../electron/api/contract/index.ts'
import { chartOption } from '../../../renderer/src/charts/options/chart-option.ts'
import {
  curveSources,
  missingNote,
  styleNote,
} from '../../../renderer/src/charts/options/curve-sources.ts'
import { formatNumber } from '../../../renderer/src/charts/options/theme.ts'
import { data, run, spec } from './results.ts'

function withMetrics(id: number, name: string, metrics: MetricSeries[]): RunDetail {
  return { ...run(id, name, [], []), metrics }
}

function series(name: string, values: number[], split: string | null = null): MetricSeries {
  return {
    name,
    split,
    points: values.map((value, i) => ({ epoch: i + 1, step: null, value })),
  }
}

const trainer = withMetrics(1, 'run-a', [
  series('train_loss', [2, 1.5, 1]),
  series('test_loss', [2.2, 1.7, 1.2]),
  series('test_acc', [0.4, 0.6, 0.7]),
  series('lr_end', [0.1, 0.1, 0.01]),
])
const plain = withMetrics(2, 'run-b', [
  series('loss', [2.1, 1.6], 'train'),
  series('accuracy', [0.5, 0.65], 'test'),
])

/** The tooltip of the points at `indices` of the series at `seriesIndices`. */
function tooltip(option: EChartsOption, seriesIndices: number[], indices: number[]): string {
  const all = option.series as LineSeriesOption[]
  const items = seriesIndices.map((seriesIndex, i) => ({
    seriesIndex,
    value: (all[seriesIndex].data as unknown[])[indices[i]],
    marker: '',
  }))
  const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter
  return formatter(items)
}

const lines = (o: EChartsOption): LineSeriesOption[] =>
  (o.series as LineSeriesOption[]).filter((s) => s.type === 'line')
const draw = (runs: RunDetail[], options: Record<string, string | number | boolean>) =>
  chartOption(
    spec('metric-curves', { runIds: runs.map((r) => r.id), options }),
    data([], runs),
    'light',
  )

describe('metric curves by role', () => {
  it('finds train_loss, test_acc and lr_end whatever the names, train dotted and test solid', () => {
    const loss = lines(draw([trainer], { role: 'loss' }))
    expect(loss.map((s) => [s.name, s.lineStyle?.type])).toEqual([
      ['run-a', 'dotted'],
      ['run-a', 'solid'],
    ])
    expect(loss[0].data).toEqual([
      [1, 2, NaN],
      [2, 1.5, NaN],
      [3, 1, NaN],
    ])
    expect(lines(draw([trainer], { role: 'accuracy' })).map((s) => s.name)).toEqual(['run-a'])
    expect(draw([trainer], { role: 'lr' }).yAxis).toMatchObject({ name: 'learning rate' })
  })

  it('says which series each line is', () => {
    expect(
      styleNote(curveSources(spec('metric-curves', { options: { role: 'loss' } }), [trainer])),
    ).toBe('train_loss dotted · test_loss solid')
  })

  it('lists the overlaid runs that lack the series', () => {
    const lr = curveSources(spec('metric-curves', { options: { role: 'lr' } }), [trainer, plain])
    expect(missingNote(lr)).toBe('not logged by: run-b')
    const loss = curveSources(spec('metric-curves', { options: { role: 'loss' } }), [
      trainer,
      plain,
    ])
    expect(missingNote(loss)).toBe('test not logged by: run-b')
    const acc = curveSources(spec('metric-curves', { options: { role: 'accuracy' } }), [
      trainer,
      plain,
    ])
    expect(missingNote(acc)).toBe('')
  })

  it('names the words it looked for when no run logs the role', () => {
    const none = withMetrics(3, 'run-c', [series('epoch_time', [3]), series('top5', [0.9])])
    expect(() => draw([none], { role: 'loss' })).toThrow(
      "Run 'run-c' logs no loss: looked for names with the word loss, nll, xent, alone or with train, val or test (loss, train_loss, val/nll); logged: epoch_time, top5.",
    )
    expect(() => draw([none, { ...none, id: 4, name: 'run-d' }], { role: 'accuracy' })).toThrow(
      'None of the runs logs an accuracy: looked for names with the word acc, accuracy, acc1, top1,',
    )
    expect(() => draw([none], { role: 'lr' })).toThrow(
      "Run 'run-c' logs no learning rate: looked for names with the word lr, learning_rate (lr, lr_end, learning_rate); logged: epoch_time, top5.",
    )
  })

  it('draws the accuracy role when neither role nor metric is given', () => {
    expect(lines(draw([plain], {})).map((s) => s.name)).toEqual(['run-b'])
  })

  it('refuses an unknown role', () => {
    expect(() => draw([trainer], { role: 'f1' })).toThrow(
      "Unknown metric role 'f1': use loss, accuracy, lr.",
    )
  })
})

describe('metric curves as scalars', () => {
  it('shares one legend entry per run and names the split in the tooltip', () => {
    const option = draw([trainer, plain], { role: 'loss' })
    expect((option.legend as { data: string[] }).data).toEqual(['run-a', 'run-b'])
    expect(tooltip(option, [0, 1], [1, 1])).toBe('2<br>run-a · train: 1.5<br>run-a · test: 1.7')
  })

  it('gives the raw value beside the smoothed one in the tooltip', () => {
    const option = draw([trainer], { metric: 'train_loss', smoothing: 0.5 })
    const smoothed = (0.25 * 2 + 0.5 * 1.5) / 0.75
    expect(tooltip(option, [0, 1], [1, 1])).toBe(`2<br>run-a: ${formatNumber(smoothed)} (raw 1.5)`)
  })

  it('draws the smoothed curve over the faint raw one', () => {
    const [smoothed, raw] = lines(draw([trainer], { metric: 'train_loss', smoothing: 0.5 }))
    expect(raw).toMatchObject({ silent: true, lineStyle: { opacity: 0.3 } })
    expect(raw.name).toBe(smoothed.name)
    expect((raw.data as number[][]).map((p) => p[1])).toEqual([2, 1.5, 1])
    const y = (smoothed.data as number[][]).map((p) => p[1])
    ;[2, (0.25 * 2 + 0.5 * 1.5) / 0.75, ((0.25 * 2 + 0.5 * 1.5) * 0.5 + 0.5) / 0.875].forEach(
      (v, i) => expect(y[i]).toBeCloseTo(v, 12),
    )
  })

  it('draws a log y axis without the values it cannot place', () => {
    const run = withMetrics(4, 'run-d', [series('grad_total', [0, 10, 100])])
    const option = draw([run], { metric: 'grad_total', logY: true })
    expect(option.yAxis).toMatchObject({ type: 'log' })
    expect(lines(option)[0].data).toEqual([
      [2, 10, NaN],
      [3, 100, NaN],
    ])
  })

  it('puts lines logged without a step at the last step of their epoch', () => {
    const run = withMetrics(5, 'run-e', [
      {
        name: 'loss',
        split: 'train',
        points: [
          { epoch: 1, step: 50, value: 2 },
          { epoch: 1, step: 100, value: 1.8 },
          { epoch: 2, step: 200, value: 1.2 },
        ],
      },
      series('loss', [1.9, 1.3], 'test'),
    ])
    const option = draw([run], { metric: 'loss', x: 'step' })
    expect(option.xAxis).toMatchObject({ name: 'step' })
    expect(lines(option).map((s) => (s.data as number[][]).map((p) => p[0]))).toEqual([
      [50, 100, 200],
      [100, 200],
    ])
  })

  it('refuses a smoothing outside [0, 1) and an unknown x axis', () => {
    expect(() => draw([trainer], { metric: 'train_loss', smoothing: 1 })).toThrow(
      "The smoothing must be a number from 0 to below 1, got '1'.",
    )
    expect(() => draw([trainer], { metric: 'train_loss', x: 'time' })).toThrow(
      "Unknown x axis 'time': use epoch or step.",
    )
  })
})

describe("run.json's metricRoles", () => {
  it('draws the series a run maps to a role, even one whose name says nothing', () => {
    const mapped = {
      ...withMetrics(3, 'run-c', [series('score', [0.3, 0.5]), series('test_acc', [0.1, 0.2])]),
      metricRoles: { 'accuracy/test': 'score' },
    }
    const sources = curveSources(spec('metric-curves', { options: { role: 'accuracy' } }), [mapped])
    expect(sources.splits.map((s) => [s.split, s.series.get(3)?.name])).toEqual([['test', 'score']])
  })
})
