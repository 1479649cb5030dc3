export { MAX_SUPPORT_BATCHES, summarizeT3aDomain, thinnedBatches } from './summary.ts'
export type { T3aDomainSummary, T3aSummaryOptions } from './summary.ts'
export { prepareT3aStream } from './prepared-stream.ts'
export type { PreparedStream } from './prepared-stream.ts'
export { orderedStream, seededStreamOrder, streamOrder } from './stream-order.ts'
export type { T3aStreamOrder } from './stream-order.ts'
export { DEFAULT_T3A_BATCH_SIZE, runT3a, runT3aFilters } from './t3a.ts'
export type { T3aStreamOptions } from './t3a.ts'
export type {
  AllSupportsBehaviour,
  LastPartialBatchPolicy,
  LinearClassifier,
  SupportEvolution,
  SupportFilter,
  T3aOptions,
  T3aResult,
} from './types.ts'
