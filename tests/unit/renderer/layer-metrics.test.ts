import { describe, expect, it } from 'vitest'
import type { MetricSeries } from '../../../electron/api/contract/index.ts'
import { activationByLayer } from '../../../renderer/src/analyses/activation-stats/layer-overlay.ts'
import {
  compareLayerKeys,
  gradientNormByLayer,
  gradientNormTable,
} from '../../../renderer/src/composables/layer-metrics.ts'

function grad(param: string, values: number[]): MetricSeries {
  return {
    name: `grad_norms/${param}`,
    split: 'train',
    points: values.map((value, i) => ({ epoch: i + 1, step: null, value })),
  }
}

describe('layer metrics', () => {
  it('combines a layer’s parameter norms as the norm of its whole gradient', () => {
    const metrics = [
      grad('conv1.weight', [3, 1]),
      grad('bn1.weight', [4, 1]),
      grad('layer1.0.conv1.weight', [1, 2]),
      { name: 'loss', split: 'train', points: [{ epoch: 1, step: null, value: 9 }] },
    ]
    expect(gradientNormByLayer(metrics, 1)).toEqual({ stem: 5, 'layer1.0': 1 })
    expect(gradientNormByLayer(metrics, 2)['stem']).toBeCloseTo(Math.SQRT2)
    expect(gradientNormByLayer(metrics, 3)).toEqual({})
  })

  it('tabulates every epoch with layers in network order', () => {
    const table = gradientNormTable([
      grad('fc.weight', [1, 1]),
      grad('layer2.0.conv1.weight', [1, 1]),
      grad('layer10.0.conv1.weight', [1, 1]),
      grad('conv1.weight', [1, 1]),
    ])
    expect(table.epochs).toEqual([1, 2])
    expect(table.layers).toEqual(['stem', 'layer2.0', 'layer10.0', 'fc'])
    expect(['fc', 'layer1.10', 'layer1.2', 'stem'].sort(compareLayerKeys)).toEqual([
      'stem',
      'layer1.2',
      'layer1.10',
      'fc',
    ])
  })

  it('reduces per-channel activation statistics to one value per tap', () => {
    const tap = {
      key: 'layer1.0',
      shape: [2, 1, 1],
      mean: [1, 3],
      std: [0, 0],
      maxAbs: [2, 5],
      zeroFraction: [0.5, 0.25],
      histogram: { edges: [], counts: [], sampledValues: 0, totalValues: 0 },
    }
    const result = { numImages: 1, taps: [tap] }
    expect(activationByLayer(result, 'mean')).toEqual({ 'layer1.0': 2 })
    expect(activationByLayer(result, 'maxAbs')).toEqual({ 'layer1.0': 5 })
    expect(activationByLayer(result, 'zeroFraction')).toEqual({ 'layer1.0': 0.375 })
  })
})
