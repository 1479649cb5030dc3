import type { ProbePoint } from '../../../electron/api/contract/analyses/probes.ts'
import { probeAccuracy } from './linear-scores.ts'
import { testView, validationView } from './probe-context.ts'
import type { ProbeContext } from './probe-context.ts'
import type { ProbeSubset, RidgeStrengthChoice } from './probe-run-types.ts'
import { absoluteStrength, fitRidge, subsetSystem, traceOf } from './ridge-fit.ts'
import { chooseRidgeStrength } from './ridge-strength.ts'
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
 * λ = r · trace(C_SS)/k and scored on the test features.
 */
export async function neuronProbesAt(
  context: ProbeContext,
  subsets: readonly ProbeSubset[],
  cka: SubsetCka,
): Promise<{ points: ProbePoint[]; choice: RidgeStrengthChoice }> {
  const { fraction } = subsets[0]
  const first = subsets[0].indices
  const choice = await chooseRidgeStrength(
    subsetSystem(context.trainPart, first),
    validationView(context, first),
    context.grid,
    context.fallbackScale.trainPart,
    context.products,
    context.tick,
  )
  const points: ProbePoint[] = []
  for (const { seed, indices } of subsets) {
    const system = subsetSystem(context.whole, indices)
    const k = indices.length
    const regularization = absoluteStrength(
      choice.relative,
      traceOf(system.covariance, k),
      k,
      context.fallbackScale.whole,
    )
    const probe = await fitRidge(system, regularization, context.products)
    const accuracy = await probeAccuracy(
      testView(context, indices),
      probe.weights,
      probe.bias,
      context.classes,
      context.products,
    )
    context.tick()
    points.push({
      basis: 'neurons',
      solver: 'ridge',
      fraction,
      k: subsetSize(fraction, context.dim),
      seed,
      regularization,
      accuracy,
      validationAccuracy: choice.validationAccuracy,
      cka: cka.of(indices),
      iterations: null,
      converged: null,
    })
  }
  const { relative, validationAccuracy, validationAccuracies } = choice
  return { points, choice: { fraction, relative, validationAccuracy, validationAccuracies } }
}
