export { runRidgeProbes, probedFractions } from './run-ridge-probes.ts'
export type {
  ProbeProgress,
  ProbeStage,
  ProbeSubset,
  RidgeProbesInput,
  RidgeProbesOptions,
  RidgeProbesOutput,
  RidgeStrengthChoice,
} from './probe-run-types.ts'
export type { LabeledFeatures } from './feature-moments.ts'
export { DEFAULT_RIDGE_GRID } from './ridge-strength.ts'
export { neuronSubset, seededPermutation, subsetSize } from './subsets.ts'
export { validationSplit } from './validation-split.ts'
export { diffusedRedundancy, probeCurve, smallestFractionWithin } from './probe-summary.ts'
