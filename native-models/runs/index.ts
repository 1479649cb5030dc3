// Run folder reader: file parsing only (no SQL, no ONNX decoding). The format is in FORMAT.md.
export type * from './types.ts'
export { RunFolderError } from './errors.ts'
export type { RunFolderErrorCode } from './errors.ts'
export {
  emptyRunFolderError,
  METRICS_FILE_NAME,
  RUN_JSON_FILE_NAME,
  scanRunFolder,
} from './scan.ts'
export { parseCheckpointName, compareCheckpointFiles } from './checkpoint-names.ts'
export { METRIC_BATCH_ROWS, parseMetricsJsonl, readMetricsJsonl } from './metrics-jsonl.ts'
export type { MetricsReadSummary, ParsedMetrics } from './metrics-jsonl.ts'
export { parseRunJson } from './run-json.ts'
export { findEpochGaps } from './epoch-gaps.ts'
export type { EpochGaps } from './epoch-gaps.ts'
export { planCheckpointImport } from './import-plan.ts'
export type { CheckpointImportPlan, KnownCheckpointFile } from './import-plan.ts'
