export { ALEXNET_CLEAN_ERROR, ALEXNET_ERROR, summariseSweep } from './corruption-error.ts'
export type {
  CorruptionErrorSummary,
  ModelErrors,
  Normaliser,
  SweepSummary,
} from './corruption-error.ts'
export {
  bootstrapMeans,
  clusteredAccuracy,
  pairedClusteredDelta,
  perImageDifference,
  perImageMean,
} from './clustered-intervals.ts'
export type { IntervalEstimate, ResampleSettings } from './clustered-intervals.ts'
export { groupByTag, groupSpread, meanStd } from './run-groups.ts'
export type {
  CheckpointGroup,
  GroupableCheckpoint,
  GroupSpread,
  MeanStd,
  SweepNumbers,
} from './run-groups.ts'
