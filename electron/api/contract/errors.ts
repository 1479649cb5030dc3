export const ERROR_CODES = [
  // model files
  'NOT_FOUND',
  'NOT_ONNX',
  'TRUNCATED',
  'EMPTY_GRAPH',
  'NOT_IMAGE_CLASSIFIER',
  'UNSUPPORTED_OPERATOR',
  'UNSUPPORTED_DTYPE',
  'UNSUPPORTED_OPSET',
  'EXTERNAL_DATA_MISSING',
  'SHAPE_MISMATCH',
  'SHAPE_INFERENCE_FAILED',
  // run folders
  'RUN_FOLDER_EMPTY',
  'RUN_FOLDER_UNREADABLE',
  'RUN_FOLDER_GAP',
  'METRICS_MALFORMED',
  'RUN_JSON_MALFORMED',
  // workspace
  'DB_FROM_FUTURE',
  'DB_CORRUPT',
  'DB_LOCKED',
  'DB_READ_ONLY',
  'DB_IO_ERROR',
  'DISK_FULL',
  'NOT_IN_WORKSPACE',
  'PATH_OUTSIDE_ROOTS',
  /** Merging workspaces: one request identity computed two incompatible ways. */
  'MERGE_CONFLICT',
  // datasets and images
  'DATASET_EMPTY',
  'DATASET_MALFORMED',
  'IMAGE_UNREADABLE',
  'PREPROCESSING_MISSING',
  // engine and jobs
  'PROVIDER_UNAVAILABLE',
  'ENGINE_CRASHED',
  'JOB_CANCELLED',
  'JOB_NOT_FOUND',
  // requests
  'INVALID_ARGUMENT',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface IpcError {
  code: ErrorCode
  message: string
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError }
