import type {
  DiffusedRedundancy,
  MeanStd,
  ProbeBasis,
  ProbeCurvePoint,
  ProbePoint,
} from '../../../electron/api/contract/analyses/probes.ts'

/** δ thresholds of the diffused-redundancy summary. */
export const REDUNDANCY_DELTAS: readonly number[] = [0.9, 0.95]
/** "Within 5 points" of the full layer, as a top-1 fraction. */
export const WITHIN_POINTS = 0.05
// Accuracies are ratios of counts: keep a threshold met exactly from failing on one ulp.
const TOLERANCE = 1e-12

const BASIS_ORDER: readonly ProbeBasis[] = ['neurons', 'pca-top', 'pca-bottom', 'random-projection']

/** Mean and sample standard deviation (n − 1; 0 for one value). */
export function meanStd(values: readonly number[]): MeanStd {
  const mean = values.reduce((total, v) => total + v, 0) / values.length
  if (values.length < 2) return { mean, std: 0 }
  const squares = values.reduce((total, v) => total + (v - mean) ** 2, 0)
  return { mean, std: Math.sqrt(squares / (values.length - 1)) }
}

/** One curve point per (basis, solver, fraction), over seeds; sorted by basis, then fraction. */
export function probeCurve(points: readonly ProbePoint[]): ProbeCurvePoint[] {
  const groups = new Map<string, ProbePoint[]>()
  for (const point of points) {
    const key = `${point.basis}|${point.solver}|${point.fraction}`
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [point])
    else group.push(point)
  }
  const curve = [...groups.values()].map((group): ProbeCurvePoint => {
    const { basis, solver, fraction, k } = group[0]
    const ckas = group.flatMap((p) => (p.cka === null ? [] : [p.cka]))
    return {
      basis,
      solver,
      fraction,
      k,
      seeds: group.length,
      accuracy: meanStd(group.map((p) => p.accuracy)),
      cka: ckas.length === 0 ? null : meanStd(ckas),
    }
  })
  return curve.sort(
    (a, b) =>
      BASIS_ORDER.indexOf(a.basis) - BASIS_ORDER.indexOf(b.basis) ||
      a.solver.localeCompare(b.solver) ||
      a.fraction - b.fraction,
  )
}

/** 1 − f, rounded to 12 decimals so 1 − 0.9 reads 0.1 (fractions are short decimals). */
function complement(fraction: number): number {
  return Math.round((1 - fraction) * 1e12) / 1e12
}

/** Mean neuron-subset accuracies at fractions below 1, ascending by fraction. */
function subsetCurve(curve: readonly ProbeCurvePoint[], solver: string): ProbeCurvePoint[] {
  return curve
    .filter((p) => p.basis === 'neurons' && p.solver === solver && p.fraction < 1)
    .sort((a, b) => a.fraction - b.fraction)
}

/**
 * DR_δ = 1 − f*, f* the smallest fraction below 1 whose mean neuron-subset accuracy is at least
 * δ · full-layer accuracy; null when none is (an inferred definition, papers.md §1.2).
 */
export function diffusedRedundancy(
  curve: readonly ProbeCurvePoint[],
  fullAccuracy: number,
  deltas: readonly number[] = REDUNDANCY_DELTAS,
  solver = 'ridge',
): DiffusedRedundancy[] {
  const subsets = subsetCurve(curve, solver)
  return deltas.map((delta) => {
    const first = subsets.find((p) => p.accuracy.mean >= delta * fullAccuracy - TOLERANCE)
    return first === undefined
      ? { delta, value: null, fraction: null }
      : { delta, value: complement(first.fraction), fraction: first.fraction }
  })
}

/** The smallest fraction below 1 whose mean neuron-subset accuracy is within 5 points of the full layer. */
export function smallestFractionWithin(
  curve: readonly ProbeCurvePoint[],
  fullAccuracy: number,
  points = WITHIN_POINTS,
  solver = 'ridge',
): number | null {
  const first = subsetCurve(curve, solver).find(
    (p) => fullAccuracy - p.accuracy.mean <= points + TOLERANCE,
  )
  return first?.fraction ?? null
}
