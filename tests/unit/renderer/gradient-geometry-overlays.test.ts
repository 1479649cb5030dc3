import { describe, expect, it } from 'vitest'
import type {
  GradientsResult,
  LayerGeometry,
  WeightGeometryResult,
} from '../../../electron/api/contract/index.ts'
import { gradientByLayer } from '../../../renderer/src/analyses/gradients/gradient-overlay.ts'
import { geometryByLayer } from '../../../renderer/src/analyses/weight-geometry/geometry-overlay.ts'
import { comparedPoints } from '../../../renderer/src/composables/compare-trajectory.ts'
import type { CatalogCheckpoint } from '../../../renderer/src/stores/catalog.ts'

const ms = (mean: number) => ({ mean, std: 0 })

describe('the structure diagram overlays', () => {
  it('colours each layer by the mean of its computed gradient norm', () => {
    const result = {
      layers: [
        { layerKey: 'stem', depth: 0, norm: ms(2), weightNorm: ms(1.5) },
        { layerKey: 'fc', depth: 1, norm: ms(0.5), weightNorm: ms(0.4) },
      ],
      blockOutputs: [{ layerKey: 'stem', depth: 0, norm: ms(9) }],
    } as GradientsResult
    expect(gradientByLayer(result, 'norm')).toEqual({ stem: 2, fc: 0.5 })
    expect(gradientByLayer(result, 'weightNorm')).toEqual({ stem: 1.5, fc: 0.4 })
    expect(gradientByLayer(result, 'blockOutput')).toEqual({ stem: 9 })
  })

  it('colours each block by the mean of a geometry measure over its weights', () => {
    const weight = (layerKey: string, orthogonality: number, rank: number) =>
      ({ layerKey, orthogonality, effectiveRank: rank, rows: 4, columns: 8 }) as LayerGeometry
    const result = {
      layers: [weight('layer1.0', 0.1, 4), weight('layer1.0', 0.3, 2), weight('fc', 0.5, 1)],
    } as WeightGeometryResult
    expect(geometryByLayer(result, 'orthogonality')['layer1.0']).toBeCloseTo(0.2, 12)
    // effective rank / min(4, 8), averaged: (1 + 0.5) / 2.
    expect(geometryByLayer(result, 'effectiveRankRatio')).toEqual({ 'layer1.0': 0.75, fc: 0.25 })
  })
})

describe('trajectories on the Compare page', () => {
  const entry = (run: string, epoch: number | null, variant = '') =>
    ({ run: { name: run }, checkpoint: { epoch, variant } }) as unknown as CatalogCheckpoint
  const checkpoints = new Map([
    [1, entry('seed0', 1, 'bn')],
    [2, entry('seed0', 2, 'bn')],
    [3, entry('seed1', 1)],
  ])
  const row = (checkpointId: number, resultId: number) => ({
    checkpointId,
    label: '',
    isBaseline: false,
    summary: { id: resultId } as never,
  })
  const results = [10, 20, 30].map((id) => ({
    id,
    kind: 'gradients' as const,
    label: '',
    payload: {},
  }))

  it('places each compared result in its run and export variant by epoch', () => {
    const placed = comparedPoints([row(1, 10), row(2, 20), row(3, 30)], results, checkpoints)
    expect(placed.points).toEqual([
      { resultId: 10, run: 'seed0 (bn)', epoch: 1 },
      { resultId: 20, run: 'seed0 (bn)', epoch: 2 },
      { resultId: 30, run: 'seed1', epoch: 1 },
    ])
    expect(placed.hasTrajectory).toBe(true)
  })

  it('draws no trajectory when no run has two epochs among the compared results', () => {
    expect(comparedPoints([row(1, 10), row(3, 30)], results, checkpoints).hasTrajectory).toBe(false)
  })
})
