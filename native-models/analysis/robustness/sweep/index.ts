export { ALEXNET_CLEAN_ERROR, ALEXNET_ERROR, summariseSweep } from './corruption-error.ts'
export type {
  CorruptionErrorSummary,
  ModelErrors,
  Normaliser,
  SweepSummary,
} from './corruption-error.ts'
