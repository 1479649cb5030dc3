import { ModelError } from '../../../onnx/errors.ts'
import { attributeInt } from '../../../onnx/graph.ts'
import { readInitializerFloat32 } from '../../../onnx/index.ts'
import type { ModelAnalysis } from '../../../onnx/index.ts'
import { modelParameters } from '../../../onnx/parameter-keys.ts'
import type { ModelParameter } from '../../../onnx/parameter-keys.ts'

const FILTER_OPS = new Set(['Conv', 'Gemm', 'MatMul'])

/** A conv or linear weight with its filters as rows: out × (in·k·k), row-major. */
export interface FilterWeight {
  parameter: ModelParameter
  values: Float32Array
  /** The shape the values are laid out in, out channels (filters) first. */
  filtersFirst: number[]
}

/** Every conv and linear weight of the model, in depth order (the stem's conv first). */
export function filterWeights(analysis: ModelAnalysis): {
  weights: FilterWeight[]
  unmapped: string[]
} {
  const { parameters, unmapped } = modelParameters(analysis)
  const weights = parameters
    .filter((p) => p.role === 'weight' && FILTER_OPS.has(p.opType))
    .map((parameter) => readFilterWeight(analysis, parameter))
  return { weights, unmapped }
}

function readFilterWeight(analysis: ModelAnalysis, parameter: ModelParameter): FilterWeight {
  const { loaded } = analysis
  if (!analysis.ir.initializers.has(parameter.valuesFrom)) {
    throw new ModelError(
      'NOT_IMAGE_CLASSIFIER',
      `'${loaded.fileName}' holds no values for the weight '${parameter.initializer}' of '${parameter.nodeName}' (weights exported as graph inputs): export it again with export_params=True.`,
    )
  }
  const values = readInitializerFloat32(loaded, parameter.valuesFrom)
  if (!storesInputsFirst(analysis, parameter)) {
    return { parameter, values, filtersFirst: parameter.shape }
  }
  const [inputs, outputs] = parameter.shape
  return { parameter, values: transpose(values, inputs, outputs), filtersFirst: [outputs, inputs] }
}

/** MatMul's B, and Gemm's B without transB, are (in, out): their filters are columns. */
function storesInputsFirst(analysis: ModelAnalysis, parameter: ModelParameter): boolean {
  if (parameter.opType === 'MatMul') return true
  if (parameter.opType !== 'Gemm') return false
  const node = analysis.ir.nodes.find((n) => n.name === parameter.nodeName && n.opType === 'Gemm')
  return node !== undefined && attributeInt(node, 'transB', 0) === 0
}

function transpose(matrix: Float32Array, rows: number, columns: number): Float32Array {
  const result = new Float32Array(matrix.length)
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) result[c * rows + r] = matrix[r * columns + c]
  }
  return result
}
