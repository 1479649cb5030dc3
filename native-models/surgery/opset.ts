import { ModelError } from '../onnx/errors.ts'
import type { ModelProto, OperatorSetIdProto } from '../onnx/proto.ts'

/** The first ai.onnx opset of each form change the builder emits or rewrites. */
export const OPSET = {
  /** Squeeze/Unsqueeze take `axes` as an input, ReduceSum too. */
  axesInputForSqueezeAndReduceSum: 13,
  /** ScatterElements accepts `reduction` ('add', 'mul'). */
  scatterReduction: 16,
  /** ScatterElements accepts reduction 'max' and 'min'. */
  scatterMinMax: 18,
  /** Every other Reduce* op takes `axes` as an input. */
  axesInputForReduce: 18,
  /** Split takes `split` as an input. */
  splitInput: 13,
  /** Split without a `split` input needs `num_outputs`. */
  splitNumOutputs: 18,
  /** Softmax/LogSoftmax/Hardmax act on one axis instead of a 2-D coercion. */
  softmaxSingleAxis: 13,
  /** BatchNormalization's training mode is an attribute, not extra outputs. */
  batchNormTrainingModeAttribute: 14,
} as const

export const LOWEST_SUPPORTED_OPSET = 11
/** The newest opset whose forms the builder knows; later ones are emitted as 18's forms. */
export const HIGHEST_UPGRADE_TARGET = 18

export function isAiOnnxDomain(domain: string | undefined): boolean {
  return domain === undefined || domain === '' || domain === 'ai.onnx'
}

export function readAiOnnxOpset(model: ModelProto): number {
  const entry = model.opsetImport?.find((item) => isAiOnnxDomain(item.domain))
  if (entry?.version === undefined) {
    throw new ModelError('UNSUPPORTED_OPSET', 'The model imports no ai.onnx opset.')
  }
  return entry.version
}

export function withAiOnnxOpset(
  imports: readonly OperatorSetIdProto[],
  version: number,
): OperatorSetIdProto[] {
  const others = imports.filter((item) => !isAiOnnxDomain(item.domain))
  return [{ domain: '', version }, ...others]
}

/** The IR version that the ONNX release introducing `opset` wrote (onnx.helper.VERSION_TABLE). */
export function minimumIrVersion(opset: number): number {
  if (opset <= 11) return 6
  if (opset <= 14) return 7
  if (opset <= 18) return 8
  if (opset <= 20) return 9
  return 10
}
