import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import { createRandomStream } from '../uncertainty/xoshiro128.ts'
import { foldProjection, transpose } from './projection-weights.ts'
import { absoluteStrength, fitRidge, traceOf } from './ridge-fit.ts'
import type { RidgeSystem } from './ridge-fit.ts'
import type { FoldedProbe } from './pca-probes.ts'

/** The leading `width` columns of a seeded P (d×d): the only part the probes read. */
export interface RandomProjection {
  dim: number
  width: number
  /** d×width row-major. */
  columns: Float64Array
}

/**
 * P = normalize(rand(d, d), dim=0) as the reference: uniform [0, 1) entries drawn row-major
 * from `createRandomStream(seed)` (u = x / 2³²), each column scaled to unit L2 norm; only its
 * first `width` columns are kept.
 */
export function randomProjection(dim: number, width: number, seed: number): RandomProjection {
  const random = createRandomStream(seed)
  const columns = new Float64Array(dim * width)
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      const u = random.nextUint32() / 2 ** 32
      if (j < width) columns[i * width + j] = u
    }
  }
  for (let j = 0; j < width; j++) {
    let norm = 0
    for (let i = 0; i < dim; i++) norm += columns[i * width + j] ** 2
    const scale = 1 / Math.sqrt(norm)
    for (let i = 0; i < dim; i++) columns[i * width + j] *= scale
  }
  return { dim, width, columns }
}

/** The system of z = x·P (width inputs): PᵀCP, Pᵀ C_XY, Pᵀμ, from the centered moments. */
export async function projectedSystem(
  projection: RandomProjection,
  centered: {
    covariance: Float64Array
    crossCovariance: Float64Array
    mean: Float64Array
    labelMean: Float64Array
  },
  classes: number,
  products: DenseProducts,
): Promise<RidgeSystem> {
  const { dim, width, columns } = projection
  const transposed = transpose(columns, dim, width)
  const covarianceTimesP = await products.multiply(centered.covariance, columns, dim, dim, width)
  return {
    k: width,
    classes,
    covariance: await products.multiply(transposed, covarianceTimesP, width, dim, width),
    crossCovariance: await products.multiply(
      transposed,
      centered.crossCovariance,
      width,
      dim,
      classes,
    ),
    mean: await products.multiply(transposed, centered.mean, width, dim, 1),
    labelMean: centered.labelMean,
  }
}

/** The system of the first k projected inputs (leading blocks). */
export function leadingSystem(system: RidgeSystem, k: number): RidgeSystem {
  const { classes } = system
  const covariance = new Float64Array(k * k)
  for (let a = 0; a < k; a++) {
    covariance.set(system.covariance.subarray(a * system.k, a * system.k + k), a * k)
  }
  return {
    k,
    classes,
    covariance,
    crossCovariance: system.crossCovariance.slice(0, k * classes),
    mean: system.mean.slice(0, k),
    labelMean: system.labelMean,
  }
}

/** Ridge probe on x·P[:, :k] with λ = r · trace/k, folded back onto the raw features. */
export async function randomProjectionProbe(
  projection: RandomProjection,
  system: RidgeSystem,
  k: number,
  relative: number,
  fallbackScale: number,
  products: DenseProducts,
): Promise<FoldedProbe> {
  const leading = leadingSystem(system, k)
  const regularization = absoluteStrength(
    relative,
    traceOf(leading.covariance, k),
    k,
    fallbackScale,
  )
  const probe = await fitRidge(leading, regularization, products)
  const { dim, width, columns } = projection
  return {
    weights: foldProjection(columns, dim, width, null, probe.weights, system.classes),
    bias: probe.bias,
    regularization,
  }
}
