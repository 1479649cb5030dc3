import { DataType, encodeModelProto } from '../onnx/proto.ts'
import type { AttributeProto, DimensionProto, NodeProto, TypeProto } from '../onnx/proto.ts'
import { intAttribute, intsAttribute } from './attributes.ts'
import { int64Tensor } from './tensors.ts'

/** Input and output names of the logistic loss graph. */
export const LOGISTIC_LOSS_NAMES = {
  /** float32 [n, k]: one row per sample. */
  features: 'features',
  /** int64 [n]: class indices in 0..C−1. */
  labels: 'labels',
  /** float32 [k, C]. */
  weights: 'weights',
  /** float32 [C]. */
  bias: 'bias',
  /** float32 [2]: the mean cross-entropy, computed in float64, as hi + lo float32 parts. */
  loss: 'loss',
  /** float32 [k, C]: ∂loss/∂W = Xᵀ(P − Y)/n. */
  weightGradient: 'weight_gradient',
  /** float32 [C]: ∂loss/∂b = mean over samples of (P − Y). */
  biasGradient: 'bias_gradient',
  /** float32 [n, C]: X·W + b. */
  logits: 'logits',
} as const

export interface LogisticLossShape {
  /** k: columns of the features. */
  features: number
  /** C: number of classes. */
  classes: number
}

const OPSET = 17
const N = LOGISTIC_LOSS_NAMES

/**
 * A model that evaluates the mean multinomial cross-entropy of a linear classifier and its
 * gradient, from standard ONNX ops only, so any execution provider runs it. The two products with
 * the features run in float32 (they read n·k values); everything per (sample, class) runs in
 * float64, so the loss is accurate enough for a line search near the optimum. The sample count n
 * is symbolic: one encoded model serves any number of rows.
 */
export function logisticLossModelBytes(shape: LogisticLossShape): Uint8Array {
  assertPositiveInteger('features', shape.features)
  assertPositiveInteger('classes', shape.classes)
  return encodeModelProto({
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'resnet-workbench logistic probe',
    graph: {
      name: 'logistic-loss',
      node: [...forwardNodes(), ...lossNodes(), ...gradientNodes()],
      initializer: [
        int64Tensor('sample_axis', [1], [0]),
        int64Tensor('class_axis', [1], [1]),
        int64Tensor('class_indices', [1, shape.classes], range(shape.classes)),
      ],
      input: [
        { name: N.features, type: float32Type(['samples', shape.features]) },
        { name: N.labels, type: tensorType(DataType.INT64, ['samples']) },
        { name: N.weights, type: float32Type([shape.features, shape.classes]) },
        { name: N.bias, type: float32Type([shape.classes]) },
      ],
      output: [
        { name: N.loss, type: float32Type([2]) },
        { name: N.weightGradient, type: float32Type([shape.features, shape.classes]) },
        { name: N.biasGradient, type: float32Type([shape.classes]) },
        { name: N.logits, type: float32Type(['samples', shape.classes]) },
      ],
    },
  })
}

function forwardNodes(): NodeProto[] {
  return [
    node('MatMul', [N.features, N.weights], 'product'),
    node('Add', ['product', N.bias], N.logits),
    node('Cast', [N.logits], 'logits_f64', [toDouble()]),
    node('LogSoftmax', ['logits_f64'], 'log_probabilities', [intAttribute('axis', 1)]),
    node('Exp', ['log_probabilities'], 'probabilities'),
    node('Unsqueeze', [N.labels, 'class_axis'], 'label_column'),
    node('Equal', ['label_column', 'class_indices'], 'is_label'),
    node('Cast', ['is_label'], 'one_hot', [toDouble()]),
  ]
}

// The loss leaves as float32 hi + lo (exact to ~2⁻⁴⁸ relative), so the session's float32-only
// outputs carry a float64 value: a line search compares losses that differ by less than 1e-8.
function lossNodes(): NodeProto[] {
  return [
    node('GatherElements', ['log_probabilities', 'label_column'], 'label_log_probability', [
      intAttribute('axis', 1),
    ]),
    node('ReduceMean', ['label_log_probability'], 'mean_log_likelihood', [
      intsAttribute('axes', [0, 1]),
      intAttribute('keepdims', 0),
    ]),
    node('Neg', ['mean_log_likelihood'], 'loss_f64'),
    node('Cast', ['loss_f64'], 'loss_hi', [toFloat()]),
    node('Cast', ['loss_hi'], 'loss_hi_f64', [toDouble()]),
    node('Sub', ['loss_f64', 'loss_hi_f64'], 'loss_lo_f64'),
    node('Cast', ['loss_lo_f64'], 'loss_lo', [toFloat()]),
    node('Unsqueeze', ['loss_hi', 'sample_axis'], 'loss_hi_vector'),
    node('Unsqueeze', ['loss_lo', 'sample_axis'], 'loss_lo_vector'),
    node('Concat', ['loss_hi_vector', 'loss_lo_vector'], N.loss, [intAttribute('axis', 0)]),
  ]
}

// Gemm with transA reads the features in place: no [k, n] transpose is materialised.
function gradientNodes(): NodeProto[] {
  return [
    node('Sub', ['probabilities', 'one_hot'], 'residual'),
    node('ReduceMean', ['residual'], 'bias_gradient_f64', [
      intsAttribute('axes', [0]),
      intAttribute('keepdims', 0),
    ]),
    node('Cast', ['bias_gradient_f64'], N.biasGradient, [toFloat()]),
    node('Shape', [N.labels], 'sample_count'),
    node('Cast', ['sample_count'], 'sample_count_f64', [toDouble()]),
    node('Div', ['residual', 'sample_count_f64'], 'scaled_residual'),
    node('Cast', ['scaled_residual'], 'scaled_residual_f32', [toFloat()]),
    node('Gemm', [N.features, 'scaled_residual_f32'], N.weightGradient, [
      intAttribute('transA', 1),
    ]),
  ]
}

function node(
  opType: string,
  input: string[],
  output: string,
  attribute: AttributeProto[] = [],
): NodeProto {
  return { name: output, opType, input, output: [output], attribute }
}

function toDouble(): AttributeProto {
  return intAttribute('to', DataType.DOUBLE)
}

function toFloat(): AttributeProto {
  return intAttribute('to', DataType.FLOAT)
}

function float32Type(dims: readonly (number | string)[]): TypeProto {
  return tensorType(DataType.FLOAT, dims)
}

function tensorType(elemType: number, dims: readonly (number | string)[]): TypeProto {
  const dim = dims.map((d): DimensionProto =>
    typeof d === 'number' ? { dimValue: d } : { dimParam: d },
  )
  return { tensorType: { elemType, shape: { dim } } }
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i)
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Logistic loss graph: '${name}' must be a positive integer, got ${value}.`)
  }
}
