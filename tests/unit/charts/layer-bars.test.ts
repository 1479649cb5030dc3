import type { BarSeriesOption } from 'echarts'
import { describe, expect, it } from 'vitest'
import {
  barGroupsForMode,
  layerBarsOption,
} from '../../../renderer/src/charts/options/layer-bars.ts'
import type { LayerBarsInput } from '../../../renderer/src/charts/options/layer-bars.ts'
import { palette } from '../../../renderer/src/charts/options/theme.ts'

const input = (mode: 'absolute' | 'difference'): LayerBarsInput => ({
  categories: ['stem', 'layer1.0', 'fc'],
  groups: [
    { name: 'epoch 1', values: [0.1, 0.2, null], isBaseline: true },
    { name: 'epoch 5', values: [0.3, 0.1, 0.4] },
  ],
  xName: 'layer',
  yName: 'zero fraction',
  mode,
})

describe('per-layer bars', () => {
  it('draws one bar series per checkpoint keyed by layer, the baseline grey, gaps for n/a', () => {
    const series = layerBarsOption(input('absolute'), 'dark').series as BarSeriesOption[]
    expect(series.map((s) => s.name)).toEqual(['epoch 1', 'epoch 5'])
    expect(series[0].data).toEqual([0.1, 0.2, '-'])
    expect(series[0].itemStyle?.color).toBe(palette('dark').baseline)
  })

  it('shows differences against the baseline, which is not drawn itself', () => {
    const groups = barGroupsForMode(input('difference'))
    expect(groups).toHaveLength(1)
    expect(groups[0].name).toBe('epoch 5 − epoch 1')
    expect(groups[0].values[0]).toBeCloseTo(0.2)
    expect(groups[0].values[1]).toBeCloseTo(-0.1)
    expect(groups[0].values[2]).toBeNull()
    const option = layerBarsOption(input('difference'), 'light')
    expect(option.yAxis).toMatchObject({ name: 'Δ zero fraction' })
    expect((option.series as BarSeriesOption[])[0].markLine).toMatchObject({
      data: [{ yAxis: 0 }],
    })
  })
})
