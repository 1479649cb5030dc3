import type { DenseProducts } from '../../../analysis/linear-algebra/dense-products.ts'
import {
  filterGramMeasures,
  geometryFromMeasures,
  layerGrams,
  matrixShape,
} from '../../../analysis/weight-geometry/index.ts'
import type { LayerGeometry } from '../../../analysis/weight-geometry/index.ts'
import type { JobContext } from '../../job-types.ts'
import type { EigenvaluePool } from './eigenvalue-pool.ts'
import type { FilterWeight } from './filter-weights.ts'

const STAGE = 'weight geometry'

/** What the geometry reads of a weight: its values, filters first. */
export type WeightMatrix = Pick<FilterWeight, 'values' | 'filtersFirst'>

export interface LayerGeometries {
  /** In the order of `weights`. */
  geometries: LayerGeometry[]
  /** Wall time this thread spent forming Grams and their filter measures (ms). */
  gramsMs: number
  /** Time the workers spent on eigenvalues, summed over workers (ms). */
  eigenMs: number
}

/**
 * The geometry of every weight: Grams on `products` in this thread, each handed to `pool` for its
 * eigenvalues as soon as it is formed, largest eigenproblem first so the longest one starts early.
 * Progress counts finished weights. The caller owns `pool`: closing it on abort ends the wait.
 */
export async function layerGeometries(
  weights: readonly WeightMatrix[],
  products: DenseProducts,
  pool: EigenvaluePool,
  context: JobContext,
): Promise<LayerGeometries> {
  const geometries: LayerGeometry[] = new Array<LayerGeometry>(weights.length)
  const pending: Promise<void>[] = []
  let gramsMs = 0
  let eigenMs = 0
  let done = 0
  const failures: unknown[] = []
  context.report({ stage: STAGE, done, total: weights.length })
  for (const index of largestSpectrumFirst(weights)) {
    context.signal.throwIfAborted()
    if (failures.length > 0) throw failures[0]
    const weight = weights[index]
    const started = performance.now()
    const { rows, columns, filterGram, spectrumGram } = await layerGrams(
      weight.values,
      weight.filtersFirst,
      products,
    )
    const filters = filterGramMeasures(filterGram, rows)
    gramsMs += performance.now() - started
    const solved = pool.eigenvalues(spectrumGram, Math.min(rows, columns)).then((eigen) => {
      eigenMs += eigen.elapsedMs
      geometries[index] = geometryFromMeasures(rows, columns, filters, eigen.values)
      done += 1
      context.report({ stage: STAGE, done, total: weights.length })
    })
    // Awaited below; until then a rejection stops the loop instead of counting as unhandled.
    solved.catch((error: unknown) => failures.push(error))
    pending.push(solved)
  }
  await Promise.all(pending)
  return { geometries, gramsMs, eigenMs }
}

/** Indices of `weights` by descending min(n, m), the eigenproblem's order; depth breaks ties. */
function largestSpectrumFirst(weights: readonly WeightMatrix[]): number[] {
  const orders = weights.map((weight) =>
    Math.min(...matrixShape(weight.values, weight.filtersFirst)),
  )
  return orders.map((_, index) => index).sort((a, b) => orders[b] - orders[a] || a - b)
}
