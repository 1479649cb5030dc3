import { seededPermutation } from '../uncertainty/seeded-permutation.ts'

export { seededPermutation }

/** Neurons in a subset of fraction f of d: int(f·d) as the reference truncates, at least 1. */
export function subsetSize(fraction: number, dim: number): number {
  if (!(fraction > 0 && fraction <= 1)) {
    throw new RangeError(`Probe fraction must be in (0, 1], got ${fraction}.`)
  }
  return Math.max(1, Math.trunc(fraction * dim))
}

/**
 * The first k neurons of the seed's permutation of 0..d−1, sorted ascending. As in the reference
 * (one `randperm` per seed, cut at k), one seed's subsets are nested across fractions.
 * @example neuronSubset(2048, 0.2, 1).length // 409
 */
export function neuronSubset(dim: number, fraction: number, seed: number): Int32Array {
  const chosen = seededPermutation(dim, seed).slice(0, subsetSize(fraction, dim))
  return chosen.sort()
}

/** All neurons 0..d−1: the full layer's "subset". */
export function everyNeuron(dim: number): Int32Array {
  return Int32Array.from({ length: dim }, (_, i) => i)
}
