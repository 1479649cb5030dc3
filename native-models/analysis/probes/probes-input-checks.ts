import type { LabeledFeatures } from './feature-moments.ts'
import type { RidgeProbesInput } from './probe-run-types.ts'
import { assertRidgeGrid } from './ridge-strength.ts'
import { subsetSize } from './subsets.ts'

/** Refuses inputs whose shapes or parameters do not fit, naming the value. */
export function assertProbesInput(input: RidgeProbesInput): void {
  const { dim, classes } = input
  if (!Number.isInteger(dim) || dim < 1)
    throw new RangeError(`dim must be a positive integer, got ${dim}.`)
  if (!Number.isInteger(classes) || classes < 2) {
    throw new RangeError(`classes must be an integer of at least 2, got ${classes}.`)
  }
  if (!Number.isInteger(input.seeds) || input.seeds < 1) {
    throw new RangeError(`seeds must be a positive integer, got ${input.seeds}.`)
  }
  for (const fraction of input.fractions) subsetSize(fraction, dim)
  if (input.ridgeGrid !== null) assertRidgeGrid(input.ridgeGrid)
  assertFeatures('train', input.train, dim, classes)
  assertFeatures('test', input.test, dim, classes)
  if (input.test.n < 1) throw new RangeError('The test features hold no rows.')
}

function assertFeatures(name: string, data: LabeledFeatures, dim: number, classes: number): void {
  if (data.features.length !== data.n * dim) {
    throw new RangeError(
      `The ${name} features should hold ${data.n}×${dim} = ${data.n * dim} values, got ${data.features.length}.`,
    )
  }
  if (data.labels.length !== data.n) {
    throw new RangeError(
      `The ${name} labels should hold ${data.n} values, got ${data.labels.length}.`,
    )
  }
  const bad = data.labels.findIndex((label) => label < 0 || label >= classes)
  if (bad >= 0) {
    throw new RangeError(
      `The ${name} label of row ${bad} must be in 0..${classes - 1}, got ${data.labels[bad]}.`,
    )
  }
}
