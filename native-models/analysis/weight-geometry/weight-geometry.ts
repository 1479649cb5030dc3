import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import { psdEigenvalues } from '../linear-algebra/symmetric-eigenvalues.ts'
import { filterGramMeasures, regularizerFloor } from './filter-gram.ts'
import type { FilterGramMeasures } from './filter-gram.ts'
import { spectrumMeasures } from './spectrum.ts'
import type { SpectrumMeasures } from './spectrum.ts'
import { transpose } from '../linear-algebra/transpose.ts'

/** The geometry of one weight reshaped to (n = out, m = in·k·k). */
export interface LayerGeometry extends FilterGramMeasures, SpectrumMeasures {
  /** n: filters (output channels or output features). */
  rows: number
  /** m: inputs per filter (in·k·k, or in features). */
  columns: number
  /** (n − m)/n² when n > m, the least `regularizer` can be; else 0. */
  regularizerFloor: number
}

/** The two Grams of a weight: the filters' (n×n) and the smaller one, whose eigenvalues give σ². */
export interface LayerGrams {
  rows: number
  columns: number
  /** WWᵀ, n×n row-major. */
  filterGram: Float64Array
  /** WWᵀ when n ≤ m (the same array), else WᵀW (m×m). */
  spectrumGram: Float64Array
}

/**
 * The Grams of a weight (row-major float32 of `shape`, out channels first), both products on
 * `products`. When n > m the filter measures still need WWᵀ, so both are formed.
 */
export async function layerGrams(
  weight: Float32Array,
  shape: readonly number[],
  products: DenseProducts,
): Promise<LayerGrams> {
  const [rows, columns] = matrixShape(weight, shape)
  const filterGram = await products.crossProduct(transpose(weight, rows, columns), columns, rows)
  const spectrumGram =
    rows <= columns ? filterGram : await products.crossProduct(weight, rows, columns)
  return { rows, columns, filterGram, spectrumGram }
}

/** Every geometry field from a weight's Grams; the eigenvalues are the only O(k³) step. */
export function geometryFromGrams(grams: LayerGrams): LayerGeometry {
  const { rows, columns, filterGram, spectrumGram } = grams
  const filters = filterGramMeasures(filterGram, rows)
  const eigenvalues = psdEigenvalues(spectrumGram, Math.min(rows, columns))
  return geometryFromMeasures(rows, columns, filters, eigenvalues)
}

/**
 * The geometry of an n×m weight from its filter measures and the eigenvalues of its smaller Gram
 * (`spectrumGram`, any order): the two halves of `geometryFromGrams`, for a caller that finds the
 * eigenvalues elsewhere (the engine does, in worker threads).
 */
export function geometryFromMeasures(
  rows: number,
  columns: number,
  filters: FilterGramMeasures,
  spectrumEigenvalues: Float64Array,
): LayerGeometry {
  const order = Math.min(rows, columns)
  if (spectrumEigenvalues.length !== order) {
    throw new RangeError(
      `A ${rows}×${columns} weight has ${order} Gram eigenvalues, got ${spectrumEigenvalues.length}.`,
    )
  }
  return {
    rows,
    columns,
    ...filters,
    regularizerFloor: regularizerFloor(rows, columns),
    ...spectrumMeasures(spectrumEigenvalues, filters.frobenius ** 2),
  }
}

/**
 * Frobenius norm, orthogonality (normalised and as the filter-bases regulariser), mean |cos|
 * between filters, singular values and stable/effective rank of a conv or linear weight.
 * @example await weightGeometry(convWeight, [256, 64, 1, 1], ortDenseProducts()) // n 256, m 64
 */
export async function weightGeometry(
  weight: Float32Array,
  shape: readonly number[],
  products: DenseProducts,
): Promise<LayerGeometry> {
  return geometryFromGrams(await layerGrams(weight, shape, products))
}

/** (n, m) of a weight of `shape` read as out × (everything else). */
export function matrixShape(weight: Float32Array, shape: readonly number[]): [number, number] {
  const [rows = 0, ...rest] = shape
  if (shape.length < 2 || !shape.every((dim) => Number.isInteger(dim) && dim > 0)) {
    throw new RangeError(
      `A weight needs at least two positive dimensions (out, in, …), got [${shape.join(', ')}].`,
    )
  }
  const columns = rest.reduce((a, b) => a * b, 1)
  if (weight.length !== rows * columns) {
    throw new RangeError(
      `A weight of shape [${shape.join(', ')}] holds ${rows * columns} values, got ${weight.length}.`,
    )
  }
  return [rows, columns]
}
