export { mcnemarExact } from './mcnemar.ts'
export type { McNemarResult } from './mcnemar.ts'
export { normalQuantile } from './normal-quantile.ts'
export { accuracyOf, eceOf, meanOf } from './resample-statistics.ts'
export { bootstrapInterval, forEachBootstrapResample, pairedBootstrapDelta } from './resampling.ts'
export type {
  BootstrapInterval,
  BootstrapOptions,
  PairedBootstrapDelta,
  ResampleStatistic,
} from './resampling.ts'
export { wilsonInterval } from './wilson.ts'
export type { ProportionInterval } from './wilson.ts'
