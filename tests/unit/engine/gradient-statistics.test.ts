import { describe, expect, it } from 'vitest'
import { gradientStatistics } from '../../../native-models/engine/jobs/gradients/gradient-statistics.ts'
import type {
  BatchGradients,
  NamedParameter,
} from '../../../native-models/engine/jobs/gradients/gradient-statistics.ts'
import { weightedSummary } from '../../../native-models/engine/jobs/weight-geometry/weight-geometry.ts'
import type { LayerGeometry, MeanStd } from '../../../electron/api/contract/index.ts'

const parameter = (
  initializer: string,
  layerKey: string,
  role: NamedParameter['role'],
): NamedParameter => ({
  initializer,
  parameterKey: null,
  layerKey,
  role,
  shape: [1],
  parameterNorm: 1,
})

// Listed out of depth order on purpose: the fc's parameter first.
const PARAMETERS = [
  parameter('fc.w', 'fc', 'weight'),
  parameter('stem.w', 'stem', 'weight'),
  parameter('stem.gamma', 'stem', 'bn-scale'),
]

const batch = (norms: number[], loss: number, correct: number): BatchGradients => ({
  parameterNorms: Float64Array.from(norms),
  blockNorms: Float64Array.from([norms[1] * 2]),
  loss,
  correct,
})

// Per batch the stem's norm is √(3² + 4²) = 5, then √(8² + 6²) = 10: mean 7.5. The norm of its
// parameters' mean norms, √(5.5² + 5²) ≈ 7.43, is another number.
const BATCHES = [batch([1, 3, 4], 2, 3), batch([3, 8, 6], 1, 1)]

function expectMeanStd(got: MeanStd, mean: number, std: number): void {
  expect(got.mean).toBeCloseTo(mean, 12)
  expect(got.std).toBeCloseTo(std, 12)
}

describe('gradient statistics over batches', () => {
  const stats = gradientStatistics(PARAMETERS, [{ layerKey: 'stem' }], ['stem', 'fc'], BATCHES, 4)

  it("forms a layer's norm in each batch before the mean and sample std", () => {
    const stem = stats.layers.find((l) => l.layerKey === 'stem')!
    expect(stem.norm.mean).toBeCloseTo((5 + 10) / 2, 12)
    expect(stem.norm.std).toBeCloseTo(Math.SQRT2 * 2.5, 12)
    expect(stem.norm.mean).not.toBeCloseTo(Math.hypot(5.5, 5), 6)
  })

  it('keeps only conv and linear weights in the weights-only norm', () => {
    const stem = stats.layers.find((l) => l.layerKey === 'stem')!
    expectMeanStd(stem.weightNorm, 5.5, Math.SQRT1_2 * 5)
  })

  it('orders layers by depth and gives each parameter its own spread', () => {
    expect(stats.layers.map((l) => [l.layerKey, l.depth])).toEqual([
      ['stem', 0],
      ['fc', 1],
    ])
    expectMeanStd(stats.parameters[0].norm, 2, Math.SQRT2)
    expect(stats.blockOutputs.map((b) => [b.layerKey, b.depth])).toEqual([['stem', 0]])
    expectMeanStd(stats.blockOutputs[0].norm, 11, Math.SQRT2 * 5)
  })

  it('takes the total norm over every parameter, the loss and the accuracy over the batches', () => {
    expect(stats.totalNorm.mean).toBeCloseTo((Math.sqrt(26) + Math.sqrt(109)) / 2, 12)
    expectMeanStd(stats.loss, 1.5, Math.SQRT1_2)
    expect(stats.accuracy).toBe(4 / 8)
  })
})

describe('the weight-geometry summary', () => {
  const layer = (rows: number, columns: number, value: number, rank: number) =>
    ({
      rows,
      columns,
      orthogonality: value,
      meanAbsCos: value / 2,
      effectiveRank: rank,
    }) as LayerGeometry

  it('weights each layer by its parameter count', () => {
    const summary = weightedSummary([layer(2, 2, 1, 2), layer(4, 3, 0, 1.5)])
    expect(summary.orthogonality).toBeCloseTo(4 / 16, 12)
    expect(summary.meanAbsCos).toBeCloseTo(2 / 16, 12)
    expect(summary.effectiveRankRatio).toBeCloseTo((4 * 1 + 12 * 0.5) / 16, 12)
  })

  it('gives zeros for a model without weights', () => {
    expect(weightedSummary([])).toEqual({ orthogonality: 0, meanAbsCos: 0, effectiveRankRatio: 0 })
  })
})
