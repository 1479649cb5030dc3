import {
  diffusedRedundancy,
  probeCurve,
  smallestFractionWithin,
} from '../../../../native-models/analysis/probes/probe-summary.ts'
import type {
  FeatureSource,
  ProbeBasis,
  ProbePoint,
  ProbeSolver,
  ProbesResult,
} from '../../contract/index.ts'
import { tidyLookup } from '../tidy.ts'
import type { TidyValue } from '../tidy.ts'

const POINT_NUMBERS = [
  ['point_fraction', 'fraction'],
  ['point_k', 'k'],
  ['point_seed', 'seed'],
  ['point_regularization', 'regularization'],
  ['point_accuracy', 'accuracy'],
  ['point_validation_accuracy', 'validationAccuracy'],
  ['point_cka', 'cka'],
  ['point_iterations', 'iterations'],
] as const

const SETS = ['train', 'test'] as const

function sourceRows(set: (typeof SETS)[number], source: FeatureSource): TidyValue[] {
  return [
    { quantity: `${set}_features_cache`, text: source.cache, value: null },
    { quantity: `${set}_forward_passes`, value: source.forwardPasses },
    { quantity: `${set}_images`, value: source.numImages },
  ]
}

/** Every probe as rows (dim = its position); the curve and the summaries follow from them. */
export function probesValues(result: ProbesResult): TidyValue[] {
  const rows: TidyValue[] = [
    { quantity: 'layer', text: result.layer, value: null },
    { quantity: 'dim', value: result.dim },
    ...result.classes.map((name, dim) => ({
      quantity: 'class_name',
      dim,
      text: name,
      value: null,
    })),
    { quantity: 'num_train', value: result.numTrain },
    { quantity: 'num_validation', value: result.numValidation },
    { quantity: 'num_test', value: result.numTest },
    { quantity: 'full_accuracy', value: result.fullLayer.accuracy },
    { quantity: 'full_lower', value: result.fullLayer.interval.lower },
    { quantity: 'full_upper', value: result.fullLayer.interval.upper },
    { quantity: 'full_regularization', value: result.fullLayer.regularization },
    ...SETS.flatMap((set) => sourceRows(set, result.features[set])),
    ...Object.entries(result.timings).map(([stage, ms]) => ({
      quantity: `ms_${stage}`,
      value: ms,
    })),
  ]
  result.points.forEach((point, dim) => {
    rows.push({ quantity: 'point_basis', dim, text: point.basis, value: null })
    rows.push({ quantity: 'point_solver', dim, text: point.solver, value: null })
    for (const [quantity, field] of POINT_NUMBERS) rows.push({ quantity, dim, value: point[field] })
    const converged = point.converged === null ? null : point.converged ? 1 : 0
    rows.push({ quantity: 'point_converged', dim, value: converged })
  })
  return rows
}

export function probesFromTidy(rows: TidyValue[]): ProbesResult {
  const { one, text, all } = tidyLookup(rows)
  const byDim = (quantity: string): TidyValue[] => all(quantity).sort((a, b) => a.dim! - b.dim!)
  const column = (quantity: string): (number | null)[] => byDim(quantity).map((r) => r.value)
  const numbers = Object.fromEntries(POINT_NUMBERS.map(([q, field]) => [field, column(q)]))
  const converged = column('point_converged')
  const solvers = byDim('point_solver').map((r) => r.text as ProbeSolver)
  const points: ProbePoint[] = byDim('point_basis').map((r, i) => ({
    basis: r.text as ProbeBasis,
    solver: solvers[i],
    fraction: numbers.fraction[i]!,
    k: numbers.k[i]!,
    seed: numbers.seed[i]!,
    regularization: numbers.regularization[i]!,
    accuracy: numbers.accuracy[i]!,
    validationAccuracy: numbers.validationAccuracy[i],
    cka: numbers.cka[i],
    iterations: numbers.iterations[i],
    converged: converged[i] === null ? null : converged[i] === 1,
  }))
  const source = (set: (typeof SETS)[number]): FeatureSource => ({
    cache: text(`${set}_features_cache`) === 'hit' ? 'hit' : 'computed',
    forwardPasses: one(`${set}_forward_passes`),
    numImages: one(`${set}_images`),
    dim: one('dim'),
    corruption: null,
  })
  const curve = probeCurve(points)
  const fullAccuracy = one('full_accuracy')
  return {
    layer: text('layer'),
    dim: one('dim'),
    classes: byDim('class_name').map((r) => r.text ?? ''),
    numTrain: one('num_train'),
    numValidation: one('num_validation'),
    numTest: one('num_test'),
    fullLayer: {
      accuracy: fullAccuracy,
      interval: { lower: one('full_lower'), upper: one('full_upper') },
      regularization: one('full_regularization'),
    },
    points,
    curve,
    diffusedRedundancy: diffusedRedundancy(curve, fullAccuracy),
    within5Points: smallestFractionWithin(curve, fullAccuracy),
    features: { train: source('train'), test: source('test') },
    timings: {
      moments: one('ms_moments'),
      ridge: one('ms_ridge'),
      pca: one('ms_pca'),
      logistic: one('ms_logistic'),
    },
  }
}
