import type { ProbeBasis, ProbePoint } from '../../../electron/api/contract/analyses/probes.ts'
import { centeredMoments } from './feature-moments.ts'
import { probeAccuracies } from './linear-scores.ts'
import { pcaProbe, pcaTargets } from './pca-probes.ts'
import type { FoldedProbe, PrincipalBasis } from './pca-probes.ts'
import { testRows, validationRows } from './probe-context.ts'
import type { ProbeContext } from './probe-context.ts'
import type { RidgeStrengthChoice } from './probe-run-types.ts'
import {
  projectedSystem,
  randomProjection,
  randomProjectionProbe,
  randomProjectionProbes,
} from './random-projection.ts'
import { chooseRidgeStrength } from './ridge-strength.ts'
import { subsetSize } from './subsets.ts'

// PCA probes reuse the neuron subsets' relative strength r at the same fraction: choosing λ for
// them on the validation part would need a second eigendecomposition (of the training part's
// covariance), which costs more than every other probe together. Their validationAccuracy is
// that shared choice's. Random projections choose their own r (see randomProjectionProbes).

interface BaselineProbe {
  basis: ProbeBasis
  choice: RidgeStrengthChoice
  seed: number
  probe: FoldedProbe
}

/** Scores the folded probes on the test features in one pass and makes their points. */
async function baselinePoints(
  context: ProbeContext,
  probes: readonly BaselineProbe[],
): Promise<ProbePoint[]> {
  const accuracies = await probeAccuracies(
    testRows(context),
    probes.map(({ probe }) => ({ columns: null, weights: probe.weights, bias: probe.bias })),
    context.classes,
    context.products,
  )
  return probes.map(({ basis, choice, seed, probe }, i) => ({
    basis,
    solver: 'ridge',
    fraction: choice.fraction,
    k: subsetSize(choice.fraction, context.dim),
    seed,
    regularization: probe.regularization,
    accuracy: accuracies[i],
    validationAccuracy: choice.validationAccuracy,
    cka: null,
    iterations: null,
    converged: null,
  }))
}

/** Top-k and bottom-k principal-component probes (no randomness: seed 0) at each fraction. */
export async function pcaProbes(
  context: ProbeContext,
  basis: PrincipalBasis,
  choices: readonly RidgeStrengthChoice[],
): Promise<ProbePoint[]> {
  const targets = await pcaTargets(basis, context.centered, context.classes, context.products)
  const probes: BaselineProbe[] = []
  for (const choice of choices) {
    const k = subsetSize(choice.fraction, context.dim)
    for (const end of ['top', 'bottom'] as const) {
      const probe = pcaProbe(targets, k, end, choice.relative, context.fallbackScale.whole)
      probes.push({ basis: `pca-${end}`, choice, seed: 0, probe })
      context.tick()
    }
  }
  return baselinePoints(context, probes)
}

/**
 * One seeded projection P per seed; probes on x·P[:, :k] for every fraction. Each fraction picks
 * its own r as the neurons do: seed 1's projection fitted on the training part, scored on the
 * validation part. The neurons' r does not carry over: projections use another scale for λ
 * (the layer's mean variance, see randomProjectionProbes), and their best r differs anyway.
 */
export async function projectionBaseline(
  context: ProbeContext,
  seeds: number,
  fractions: readonly number[],
): Promise<{ points: ProbePoint[]; choices: RidgeStrengthChoice[] }> {
  if (fractions.length === 0) return { points: [], choices: [] }
  const { dim, classes, products } = context
  const width = Math.max(...fractions.map((f) => subsetSize(f, dim)))
  const first = randomProjection(dim, width, 1)
  const partSystem = await projectedSystem(
    first,
    centeredMoments(context.trainPart),
    classes,
    products,
  )
  const choices: RidgeStrengthChoice[] = []
  for (const fraction of fractions) {
    const k = subsetSize(fraction, dim)
    const fits = await randomProjectionProbes(
      first,
      partSystem,
      k,
      context.grid,
      context.fallbackScale.trainPart,
      products,
    )
    fits.forEach(() => context.tick())
    const choice = await chooseRidgeStrength(
      context.grid,
      fits.map((fit) => ({ columns: null, ...fit })),
      validationRows(context),
      classes,
      products,
    )
    const { relative, validationAccuracy, validationAccuracies } = choice
    choices.push({ fraction, relative, validationAccuracy, validationAccuracies })
  }
  const probes: BaselineProbe[] = []
  for (let seed = 1; seed <= seeds; seed++) {
    const projection = seed === 1 ? first : randomProjection(dim, width, seed)
    const system = await projectedSystem(projection, context.centered, classes, products)
    for (const choice of choices) {
      const k = subsetSize(choice.fraction, dim)
      const probe = await randomProjectionProbe(
        projection,
        system,
        k,
        choice.relative,
        context.fallbackScale.whole,
        products,
      )
      probes.push({ basis: 'random-projection', choice, seed, probe })
      context.tick()
    }
  }
  return { points: await baselinePoints(context, probes), choices }
}
