import type {
  LayerGeometry,
  ProviderReport,
  WeightGeometryRequest,
  WeightGeometryResult,
} from '../../../../electron/api/contract/index.ts'
import type { LayerGeometry as Geometry } from '../../../analysis/weight-geometry/index.ts'
import { analyzeModel, buildSummary, loadModel } from '../../../onnx/index.ts'
import { ortDenseProducts } from '../../../runtime/index.ts'
import type { JobContext, JobHandler } from '../../job-types.ts'
import { EigenvaluePool } from './eigenvalue-pool.ts'
import { filterWeights } from './filter-weights.ts'
import type { FilterWeight } from './filter-weights.ts'
import { layerGeometries } from './layer-geometries.ts'
import type { LayerGeometries } from './layer-geometries.ts'

/**
 * The geometry of every conv and linear weight (filters as rows): Grams as float64 products on
 * ONNX Runtime, eigenvalues of the smaller Gram for the spectrum, in worker threads alongside the
 * next Grams. Reads weights only: no images.
 */
export const weightGeometryJob: JobHandler<WeightGeometryRequest, WeightGeometryResult> = async (
  job,
  context,
) => {
  const started = performance.now()
  // Started first: the workers load while this thread reads the model.
  const pool = new EigenvaluePool()
  const closeOnAbort = (): void => void pool.close()
  context.signal.addEventListener('abort', closeOnAbort, { once: true })
  try {
    const analysis = analyzeModel(await loadModel(job.modelPath))
    const { weights, unmapped } = filterWeights(analysis)
    const computed = await geometriesOnOrt(weights, pool, context)
    const layers = computed.geometries.map((geometry, depth) =>
      layerGeometry(weights[depth], depth, geometry),
    )
    const timings = {
      grams: computed.gramsMs,
      eigen: computed.eigenMs,
      total: performance.now() - started,
    }
    return {
      payload: {
        isBnFolded: buildSummary(analysis).batchNorm.isFolded,
        layers,
        summary: weightedSummary(layers),
        timings,
      },
      providers: cpuProducts(job.request.provider),
      datasetFingerprint: null,
      batchSize: 0,
      parameters: { layers: layers.length, unmappedParameters: unmapped },
    }
  } finally {
    context.signal.removeEventListener('abort', closeOnAbort)
    await pool.close()
  }
}

async function geometriesOnOrt(
  weights: readonly FilterWeight[],
  pool: EigenvaluePool,
  context: JobContext,
): Promise<LayerGeometries> {
  // One ORT thread: the other cores belong to the eigenvalue workers.
  const products = ortDenseProducts({ intraOpNumThreads: 1 })
  try {
    return await layerGeometries(weights, products, pool, context)
  } finally {
    await products.release()
  }
}

function layerGeometry(weight: FilterWeight, depth: number, geometry: Geometry): LayerGeometry {
  const { parameter } = weight
  return {
    initializer: parameter.initializer,
    parameterKey: parameter.parameterKey,
    layerKey: parameter.layerKey,
    depth,
    opType: parameter.opType,
    shape: parameter.shape,
    rows: geometry.rows,
    columns: geometry.columns,
    frobenius: geometry.frobenius,
    orthogonality: geometry.orthogonality,
    regularizer: geometry.regularizer,
    regularizerFloor: geometry.regularizerFloor,
    meanAbsCos: geometry.meanAbsCos,
    singularValues: geometry.singularValues,
    stableRank: geometry.stableRank,
    effectiveRank: geometry.effectiveRank,
  }
}

/** Means over the layers weighted by parameter count (rows × columns), for the result list. */
export function weightedSummary(layers: readonly LayerGeometry[]): WeightGeometryResult['summary'] {
  let total = 0
  const sums = { orthogonality: 0, meanAbsCos: 0, effectiveRankRatio: 0 }
  for (const layer of layers) {
    const count = layer.rows * layer.columns
    total += count
    sums.orthogonality += count * layer.orthogonality
    sums.meanAbsCos += count * layer.meanAbsCos
    sums.effectiveRankRatio += (count * layer.effectiveRank) / Math.min(layer.rows, layer.columns)
  }
  if (total === 0) return sums
  return {
    orthogonality: sums.orthogonality / total,
    meanAbsCos: sums.meanAbsCos / total,
    effectiveRankRatio: sums.effectiveRankRatio / total,
  }
}

function cpuProducts(requested: ProviderReport['requested']): ProviderReport {
  return {
    requested,
    attached: ['cpu'],
    nodePlacement: {},
    fallbackReason:
      requested === 'cpu' ? null : 'weight geometry runs its float64 Gram products on the CPU',
  }
}
