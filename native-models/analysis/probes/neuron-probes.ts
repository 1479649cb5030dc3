import type { ProbePoint } from '../../../electron/api/contract/analyses/probes.ts'
import { probeAccuracies } from './linear-scores.ts'
import type { ScoredProbe } from './linear-scores.ts'
import { testRows, validationRows } from './probe-context.ts'
import type { ProbeContext } from './probe-context.ts'
import type { ProbeSubset, RidgeStrengthChoice } from './probe-run-types.ts'
import { absoluteStrength, fitRidge, subsetSystem, traceOf } from './ridge-fit.ts'
import { chooseRidgeStrength, gridFits } from './ridge-strength.ts'
import { everyNeuron, neuronSubset, subsetSize } from './subsets.ts'
import type { SubsetCka } from './subset-cka.ts'

/** The subsets probed at one fraction: seeds 1..n below 1, the whole layer (seed 0) at 1. */
export function subsetsAt(dim: number, fraction: number, seeds: number): ProbeSubset[] {
  if (fraction === 1) return [{ fraction, seed: 0, indices: everyNeuron(dim) }]
  return Array.from({ length: seeds }, (_, s) => ({
    fraction,
    seed: s + 1,
    indices: neuronSubset(dim, fraction, s + 1),
  }))
}

/**
 * One fraction of neuron-subset ridge probes: r chosen on the validation part with the first
 * subset fitted on the training part, then every subset refitted on all training rows with
 * λ = r · trace(C_SS)/k; the refits are scored on the test features together.
 */
export async function neuronProbesAt(
  context: ProbeContext,
  subsets: readonly ProbeSubset[],
  cka: SubsetCka,
): Promise<{ points: ProbePoint[]; choice: RidgeStrengthChoice }> {
  const { fraction } = subsets[0]
  const first = subsets[0].indices
  const fits = await gridFits(
    subsetSystem(context.trainPart, first),
    first,
    context.grid,
    context.fallbackScale.trainPart,
    context.products,
    context.tick,
  )
  const choice = await chooseRidgeStrength(
    context.grid,
    fits,
    validationRows(context),
    context.classes,
    context.products,
  )
  const refits: ScoredProbe[] = []
  const regularizations: number[] = []
  for (const { indices } of subsets) {
    const system = subsetSystem(context.whole, indices)
    const k = indices.length
    const regularization = absoluteStrength(
      choice.relative,
      traceOf(system.covariance, k),
      k,
      context.fallbackScale.whole,
    )
    const probe = await fitRidge(system, regularization, context.products)
    refits.push({ columns: indices, weights: probe.weights, bias: probe.bias })
    regularizations.push(regularization)
    context.tick()
  }
  const accuracies = await probeAccuracies(
    testRows(context),
    refits,
    context.classes,
    context.products,
  )
  const points = subsets.map(({ seed, indices }, i): ProbePoint => ({
    basis: 'neurons',
    solver: 'ridge',
    fraction,
    k: subsetSize(fraction, context.dim),
    seed,
    regularization: regularizations[i],
    accuracy: accuracies[i],
    validationAccuracy: choice.validationAccuracy,
    cka: cka.of(indices),
    iterations: null,
    converged: null,
  }))
  const { relative, validationAccuracy, validationAccuracies } = choice
  return { points, choice: { fraction, relative, validationAccuracy, validationAccuracies } }
}
