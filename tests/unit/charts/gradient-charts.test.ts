import type {
  BarSeriesOption,
  CustomSeriesOption,
  EChartsOption,
  HeatmapSeriesOption,
} from 'echarts'
import { describe, expect, it } from 'vitest'
import type {
  GradientsResult,
  LayerGradient,
  RunDetail,
} from '../../../electron/api/contract/index.ts'
import { chartOption } from '../../../renderer/src/charts/options/chart-option.ts'
import type { LabeledResult } from '../../../renderer/src/charts/options/chart-data.ts'
import { data, run, spec } from './results.ts'

const ms = (mean: number, std: number) => ({ mean, std })

function layer(layerKey: string, depth: number, mean: number, std: number): LayerGradient {
  return { layerKey, depth, norm: ms(mean, std), weightNorm: ms(mean / 2, std / 2) }
}

function gradients(layers: LayerGradient[]): GradientsResult {
  return {
    numImages: 64,
    classes: ['a', 'b'],
    gradientBatch: 16,
    batches: 4,
    loss: ms(0.5, 0.1),
    accuracy: 0.8,
    isBnFolded: false,
    batchNormMode: 'inference',
    parameters: [],
    layers,
    blockOutputs: layers.map((l) => ({ layerKey: l.layerKey, depth: l.depth, norm: ms(7, 1) })),
    unmappedParameters: [],
    totalNorm: ms(3, 0.2),
    placementNote: null,
    timings: { build: 1, session: 2, passes: 3 },
  }
}

const labeled = (id: number, label: string, payload: GradientsResult): LabeledResult => ({
  id,
  kind: 'gradients',
  label,
  payload,
})

// Listed out of depth order on purpose: the chart orders by depth.
const EPOCH1 = labeled(
  1,
  'seed0 · epoch 1',
  gradients([layer('fc', 2, 0.5, 0.1), layer('stem', 0, 2, 3), layer('layer1.0', 1, 1, 0.25)]),
)
const EPOCH2 = labeled(
  2,
  'seed0 · epoch 2',
  gradients([layer('stem', 0, 1, 0.5), layer('layer1.0', 1, 0.1, 0), layer('fc', 2, 0.05, 0.01)]),
)

const bars = (o: EChartsOption) =>
  (o.series as (BarSeriesOption | CustomSeriesOption)[]).filter(
    (s): s is BarSeriesOption => s.type === 'bar',
  )
const whiskers = (o: EChartsOption) =>
  (o.series as (BarSeriesOption | CustomSeriesOption)[]).filter(
    (s): s is CustomSeriesOption => s.type === 'custom',
  )
const xCategories = (o: EChartsOption) => (o.xAxis as { data: string[] }).data

function withLoggedNorms(base: RunDetail, epoch: number, norms: Record<string, number>): RunDetail {
  return {
    ...base,
    metrics: Object.entries(norms).map(([param, value]) => ({
      name: `grad_norms/${param}`,
      split: null,
      points: [{ epoch, step: null, value }],
    })),
  }
}

describe('gradient-layers chart', () => {
  it('draws one bar per layer in depth order with mean ± std whiskers', () => {
    const o = chartOption(spec('gradient-layers'), data([EPOCH1]), 'light')
    expect(xCategories(o)).toEqual(['stem', 'layer1.0', 'fc'])
    expect(bars(o)).toHaveLength(1)
    expect(bars(o)[0].data).toEqual([2, 1, 0.5])
    expect(whiskers(o)[0].data).toEqual([
      [0, -1, 5],
      [1, 0.75, 1.25],
      [2, 0.4, 0.6],
    ])
  })

  it('keeps whiskers above zero on a log axis by drawing only the upper one there', () => {
    const o = chartOption(
      spec('gradient-layers', { options: { log: true } }),
      data([EPOCH1]),
      'light',
    )
    // Bars grow from the decade below the lowest value, not from 1.
    expect(o.yAxis).toMatchObject({ type: 'log', startValue: 0.1 })
    expect(whiskers(o)[0].data).toEqual([
      [0, 2, 5],
      [1, 0.75, 1.25],
      [2, 0.4, 0.6],
    ])
  })

  it('puts several checkpoints side by side, the baseline named as such', () => {
    const s = spec('gradient-layers', { options: { measure: 'weights' }, baselineResultId: 2 })
    const o = chartOption(s, data([EPOCH1, EPOCH2]), 'light')
    expect(bars(o).map((b) => b.name)).toEqual(['seed0 · epoch 1', 'seed0 · epoch 2 (baseline)'])
    expect(bars(o)[1].data).toEqual([0.5, 0.05, 0.025])
    // A zero std draws no whisker.
    expect(whiskers(o)[1].data).toHaveLength(2)
  })

  it('draws the norms logged in training beside the computed ones, named as a different quantity', () => {
    const logged = withLoggedNorms(run(7, 'seed0', [], [[0.5]]), 1, {
      'conv1.weight': 3,
      'bn1.weight': 4,
      'layer1.0.conv1.weight': 0.5,
      'fc.weight': 0.1,
    })
    const s = spec('gradient-layers', { runIds: [7], options: { loggedEpoch: 1 } })
    const o = chartOption(s, data([EPOCH1], [logged]), 'light')
    const [computed, fromLog] = bars(o)
    expect(computed.name).toBe('seed0 · epoch 1')
    expect(fromLog.name).toContain(
      'logged during training (train-mode BN, averaged over the epoch)',
    )
    // √(3² + 4²) for the stem: the norm of the layer's whole gradient.
    expect(fromLog.data).toEqual([5, 0.5, 0.1])
  })

  it('draws block-output gradients when asked, and names an unknown measure', () => {
    const o = chartOption(
      spec('gradient-layers', { options: { measure: 'block-outputs' } }),
      data([EPOCH1]),
      'light',
    )
    expect(bars(o)[0].data).toEqual([7, 7, 7])
    expect(() =>
      chartOption(
        spec('gradient-layers', { options: { measure: 'bias' } }),
        data([EPOCH1]),
        'light',
      ),
    ).toThrow(/Unknown gradient measure 'bias'/)
  })
})

describe('gradient-trajectory chart', () => {
  const heat = (o: EChartsOption) =>
    (o.series as HeatmapSeriesOption[]).filter((s) => s.name !== 'n/a')

  it('lays out a layer × epoch strip per run, epochs ascending, in log10', () => {
    const OTHER = labeled(3, 'seed1 · epoch 1', gradients([layer('stem', 0, 10, 1)]))
    const points = [
      { resultId: 2, run: 'seed0', epoch: 2 },
      { resultId: 1, run: 'seed0', epoch: 1 },
      { resultId: 3, run: 'seed1', epoch: 1 },
    ]
    const s = spec('gradient-trajectory', { options: { points: JSON.stringify(points) } })
    const o = chartOption(s, data([EPOCH2, EPOCH1, OTHER]), 'light')
    expect((o.xAxis as { data: string[] }[])[0].data).toEqual(['1', '2'])
    expect((o.yAxis as { data: string[] }[])[0].data).toEqual(['stem', 'layer1.0', 'fc'])
    const [seed0, seed1] = heat(o)
    // [column, row, log10 value]
    expect(seed0.data).toContainEqual([0, 0, Math.log10(2)])
    expect(seed0.data).toContainEqual([1, 2, Math.log10(0.05)])
    expect(seed1.data).toEqual([[0, 0, 1]])
  })

  it('refuses points that are not a list of result, run and epoch', () => {
    const s = spec('gradient-trajectory', { options: { points: '[{"run":"x"}]' } })
    expect(() => chartOption(s, data([EPOCH1]), 'light')).toThrow(/options.points must be a list/)
  })
})
