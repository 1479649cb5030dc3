import type { ErrorCode } from '../../electron/api/contract/index.ts'

export type ModelErrorCode = Extract<
  ErrorCode,
  | 'NOT_FOUND'
  | 'NOT_ONNX'
  | 'TRUNCATED'
  | 'EMPTY_GRAPH'
  | 'NOT_IMAGE_CLASSIFIER'
  | 'UNSUPPORTED_OPERATOR'
  | 'UNSUPPORTED_DTYPE'
  | 'UNSUPPORTED_OPSET'
  | 'EXTERNAL_DATA_MISSING'
  | 'SHAPE_MISMATCH'
  | 'SHAPE_INFERENCE_FAILED'
>

/** A problem with a user's model file; `message` is one sentence naming the file and the fix. */
export class ModelError extends Error {
  override readonly name = 'ModelError'
  readonly code: ModelErrorCode

  constructor(code: ModelErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}
