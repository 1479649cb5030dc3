import { analysisContract } from '../analysis-contract.ts'
import type { CheckpointJobBase } from '../jobs.ts'

/**
 * The geometry of every conv and linear weight of one checkpoint, reshaped to (out, in·k·k). It
 * reads weights only: no images, so no dataset.
 */
export interface WeightGeometryRequest extends Pick<
  CheckpointJobBase,
  'checkpointId' | 'modelPath' | 'provider' | 'force'
> {
  kind: 'weight-geometry'
}

export interface LayerGeometry {
  /** The initializer's name in the graph. */
  initializer: string
  /** torchvision-style name from the node scope ('layer1.0.conv1.weight'); null when unmapped. */
  parameterKey: string | null
  /** 'stem', 'layer1.0', …, 'fc'. */
  layerKey: string
  /** Position of the weight from the input (0 = the stem conv). */
  depth: number
  opType: string
  /** The weight's own shape, e.g. [256, 64, 1, 1]. */
  shape: number[]
  /** n = out rows (filters) and m = in·k·k columns. */
  rows: number
  columns: number
  frobenius: number
  /** ‖ŴŴᵀ − I‖²_F / n², rows normalised to unit length. */
  orthogonality: number
  /** ‖WWᵀ − I‖²_F / n², unnormalised, as the filter-bases regularizer defines it (diagonal kept). */
  regularizer: number
  /** The regularizer's floor (n − m)/n² when n > m (rank ≤ m), else 0. */
  regularizerFloor: number
  /** Mean |cos| between distinct filters (rows). */
  meanAbsCos: number
  /** All min(n, m) singular values, descending (from the Gram matrix's eigenvalues). */
  singularValues: number[]
  /** ‖W‖²_F / σ²_max. */
  stableRank: number
  /** exp of the entropy of σ_i / Σσ_j (Roy & Vetterli 2007). */
  effectiveRank: number
}

export interface WeightGeometryResult {
  /** BatchNorm folded into the convolutions at export: the weights are W·γ/σ. */
  isBnFolded: boolean
  layers: LayerGeometry[]
  /** Parameter-count-weighted means over all layers, for the result list. */
  summary: { orthogonality: number; meanAbsCos: number; effectiveRankRatio: number }
  /** Wall time (ms): Gram products, eigenvalues (summed over worker threads: may exceed total). */
  timings: { grams: number; eigen: number; total: number }
}

export const weightGeometryContract = analysisContract<{
  jobs: WeightGeometryRequest
  payloads: { 'weight-geometry': WeightGeometryResult }
  invoke: Record<never, never>
  charts: 'weight-spectra' | 'weight-orthogonality' | 'weight-geometry-trajectory'
}>({
  channels: {},
  charts: ['weight-spectra', 'weight-orthogonality', 'weight-geometry-trajectory'],
  kinds: {
    'weight-geometry': {
      label: 'Weight geometry',
      headline: [
        {
          key: 'orthogonality',
          label: 'mean ‖ŴŴᵀ−I‖²/n²',
          format: 'number',
          digits: 4,
          better: null,
          isListed: true,
        },
        {
          key: 'meanAbsCos',
          label: 'mean |cos|',
          format: 'number',
          digits: 4,
          better: null,
          isListed: true,
        },
        {
          key: 'effectiveRankRatio',
          label: 'effective rank / min(n, m)',
          format: 'number',
          digits: 3,
          better: null,
          isListed: true,
        },
        {
          key: 'layers',
          label: 'layers',
          format: 'count',
          digits: 0,
          better: null,
          isListed: false,
        },
      ],
    },
  },
})
