export { prepareT3aStream } from './prepared-stream.ts'
export type { PreparedStream } from './prepared-stream.ts'
export { DEFAULT_T3A_BATCH_SIZE, runT3a } from './t3a.ts'
export type {
  AllSupportsBehaviour,
  LastPartialBatchPolicy,
  LinearClassifier,
  SupportEvolution,
  SupportFilter,
  T3aOptions,
  T3aResult,
} from './types.ts'
