import type {
  LayerGeometry,
  ProviderReport,
  WeightGeometryRequest,
  WeightGeometryResult,
} from '../../../../electron/api/contract/index.ts'
import { geometryFromGrams, layerGrams } from '../../../analysis/weight-geometry/index.ts'
import { analyzeModel, buildSummary, loadModel } from '../../../onnx/index.ts'
import { ortDenseProducts } from '../../../runtime/index.ts'
import type { JobHandler } from '../../job-types.ts'
import { filterWeights } from './filter-weights.ts'
import type { FilterWeight } from './filter-weights.ts'

const STAGE = 'weight geometry'

/**
 * The geometry of every conv and linear weight (filters as rows): Grams as float64 products on
 * ONNX Runtime, eigenvalues of the smaller Gram for the spectrum. Reads weights only: no images.
 */
export const weightGeometryJob: JobHandler<WeightGeometryRequest, WeightGeometryResult> = async (
  job,
  context,
) => {
  const started = performance.now()
  const analysis = analyzeModel(await loadModel(job.modelPath))
  const { weights, unmapped } = filterWeights(analysis)
  const products = ortDenseProducts()
  const timings = { grams: 0, eigen: 0, total: 0 }
  const layers: LayerGeometry[] = []
  try {
    for (const [depth, weight] of weights.entries()) {
      context.signal.throwIfAborted()
      context.report({ stage: STAGE, done: depth, total: weights.length })
      layers.push(await geometryOf(weight, depth, products, timings))
    }
  } finally {
    await products.release()
  }
  context.report({ stage: STAGE, done: weights.length, total: weights.length })
  timings.total = performance.now() - started
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
}

async function geometryOf(
  weight: FilterWeight,
  depth: number,
  products: ReturnType<typeof ortDenseProducts>,
  timings: WeightGeometryResult['timings'],
): Promise<LayerGeometry> {
  const gramsStarted = performance.now()
  const grams = await layerGrams(weight.values, weight.filtersFirst, products)
  const eigenStarted = performance.now()
  const geometry = geometryFromGrams(grams)
  timings.grams += eigenStarted - gramsStarted
  timings.eigen += performance.now() - eigenStarted
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
