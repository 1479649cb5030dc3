import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import { createRandomStream } from '../uncertainty/xoshiro128.ts'
import { transpose } from './projection-weights.ts'
import { absoluteStrength, fitRidge } from './ridge-fit.ts'
import type { LinearProbe, RidgeSystem } from './ridge-fit.ts'
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

/**
 * Ridge probes on x·P[:, :k], one per relative strength r, folded back onto the raw features:
 * E = P[:, :k] W for all of them in one product on `products`.
 *
 * λ = r · tr(C)/d, the layer's mean variance, not the projected inputs' trace/k as for neurons:
 * P's uniform [0, 1) columns share the all-ones direction, whose variance dominates trace(PᵀCP)/k
 * (about 620 times tr(C)/d on a trained ResNet50's 2048 features, whatever k), so that scale put
 * the validation optimum below the grid's smallest r. Unit columns without that shared part have
 * tr(C)/d on average.
 */
export async function randomProjectionProbes(
  projection: RandomProjection,
  system: RidgeSystem,
  k: number,
  relatives: readonly number[],
  layerMeanVariance: number,
  products: DenseProducts,
): Promise<FoldedProbe[]> {
  const { classes } = system
  const leading = leadingSystem(system, k)
  const fits: LinearProbe[] = []
  for (const relative of relatives) {
    const regularization = absoluteStrength(relative, layerMeanVariance, 1, layerMeanVariance)
    fits.push(await fitRidge(leading, regularization, products))
  }
  const outputs = fits.length * classes
  const stacked = new Float64Array(k * outputs)
  for (const [p, fit] of fits.entries()) {
    for (let a = 0; a < k; a++) {
      stacked.set(fit.weights.subarray(a * classes, (a + 1) * classes), a * outputs + p * classes)
    }
  }
  const { dim } = projection
  const folded = await products.multiply(leadingColumns(projection, k), stacked, dim, k, outputs)
  return fits.map((fit, p) => {
    const weights = new Float64Array(dim * classes)
    for (let j = 0; j < dim; j++) {
      weights.set(
        folded.subarray(j * outputs + p * classes, j * outputs + (p + 1) * classes),
        j * classes,
      )
    }
    return { weights, bias: fit.bias, regularization: fit.regularization }
  })
}

/** Ridge probe on x·P[:, :k] with λ = r · tr(C)/d, folded back onto the raw features. */
export async function randomProjectionProbe(
  projection: RandomProjection,
  system: RidgeSystem,
  k: number,
  relative: number,
  layerMeanVariance: number,
  products: DenseProducts,
): Promise<FoldedProbe> {
  const [probe] = await randomProjectionProbes(
    projection,
    system,
    k,
    [relative],
    layerMeanVariance,
    products,
  )
  return probe
}

/** P[:, :k] as a contiguous d×k row-major matrix. */
function leadingColumns(projection: RandomProjection, k: number): Float64Array {
  const { dim, width, columns } = projection
  if (k === width) return columns
  const leading = new Float64Array(dim * k)
  for (let j = 0; j < dim; j++) leading.set(columns.subarray(j * width, j * width + k), j * k)
  return leading
}
