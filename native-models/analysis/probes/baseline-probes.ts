import type { ProbeBasis, ProbePoint } from '../../../electron/api/contract/analyses/probes.ts'
import { probeAccuracy } from './linear-scores.ts'
import { pcaProbe, pcaTargets } from './pca-probes.ts'
import type { FoldedProbe, PrincipalBasis } from './pca-probes.ts'
import { testView } from './probe-context.ts'
import type { ProbeContext } from './probe-context.ts'
import type { RidgeStrengthChoice } from './probe-run-types.ts'
import { projectedSystem, randomProjection, randomProjectionProbe } from './random-projection.ts'
import { subsetSize } from './subsets.ts'

// Baselines reuse the neuron subsets' relative strength r at the same fraction: choosing λ for
// them on the validation part would need a second eigendecomposition (PCA) or eight more solves
// per seed (projections). Their validationAccuracy is that shared choice's.

async function baselinePoint(
  context: ProbeContext,
  basis: ProbeBasis,
  choice: RidgeStrengthChoice,
  seed: number,
  probe: FoldedProbe,
): Promise<ProbePoint> {
  const accuracy = await probeAccuracy(
    testView(context, null),
    probe.weights,
    probe.bias,
    context.classes,
    context.products,
  )
  context.tick()
  return {
    basis,
    solver: 'ridge',
    fraction: choice.fraction,
    k: subsetSize(choice.fraction, context.dim),
    seed,
    regularization: probe.regularization,
    accuracy,
    validationAccuracy: choice.validationAccuracy,
    cka: null,
    iterations: null,
    converged: null,
  }
}

/** Top-k and bottom-k principal-component probes (no randomness: seed 0) at each fraction. */
export async function pcaProbes(
  context: ProbeContext,
  basis: PrincipalBasis,
  choices: readonly RidgeStrengthChoice[],
): Promise<ProbePoint[]> {
  const targets = await pcaTargets(basis, context.centered, context.classes, context.products)
  const points: ProbePoint[] = []
  for (const choice of choices) {
    const k = subsetSize(choice.fraction, context.dim)
    for (const end of ['top', 'bottom'] as const) {
      const probe = pcaProbe(targets, k, end, choice.relative, context.fallbackScale.whole)
      points.push(await baselinePoint(context, `pca-${end}`, choice, 0, probe))
    }
  }
  return points
}

/** One seeded projection P per seed; probes on x·P[:, :k] for every fraction. */
export async function randomProjectionProbes(
  context: ProbeContext,
  seeds: number,
  choices: readonly RidgeStrengthChoice[],
): Promise<ProbePoint[]> {
  if (choices.length === 0) return []
  const width = Math.max(...choices.map((c) => subsetSize(c.fraction, context.dim)))
  const points: ProbePoint[] = []
  for (let seed = 1; seed <= seeds; seed++) {
    const projection = randomProjection(context.dim, width, seed)
    const system = await projectedSystem(
      projection,
      context.centered,
      context.classes,
      context.products,
    )
    for (const choice of choices) {
      const k = subsetSize(choice.fraction, context.dim)
      const probe = await randomProjectionProbe(
        projection,
        system,
        k,
        choice.relative,
        context.fallbackScale.whole,
        context.products,
      )
      points.push(await baselinePoint(context, 'random-projection', choice, seed, probe))
    }
  }
  return points
}
