import { ModelError } from './errors.ts'
import { attributeFloat, attributeInt } from './graph.ts'
import type { GraphNode } from './graph.ts'
import { findInitializer } from './load.ts'
import type { ModelAnalysis } from './model-analysis.ts'
import type { TensorProto } from './proto.ts'
import { tensorToFloat32 } from './tensor-data.ts'

/** The final linear layer g(z) = W z + b as the graph computes it. */
export interface FinalClassifier {
  /** C × d row-major (one row per class), any Gemm alpha and transB applied. */
  weights: Float32Array
  /** C; zeros when the graph has no bias. */
  bias: Float32Array
  classes: number
  dim: number
  /** The tensor the classifier reads: the features it is applied to. */
  input: string
}

function notReadable(analysis: ModelAnalysis, why: string): ModelError {
  return new ModelError(
    'NOT_IMAGE_CLASSIFIER',
    `The final linear layer of ${analysis.loaded.fileName} cannot be read: ${why}. Feature-space analyses need a Gemm or MatMul(+Add) classifier whose weights are initializers; re-export with constant folding on.`,
  )
}

/** The initializer behind a tensor, looking through Identity nodes (as exporters insert them). */
function constantBehind(analysis: ModelAnalysis, tensor: string): TensorProto | undefined {
  let name = tensor
  for (let producer = analysis.ir.producers.get(name); producer?.opType === 'Identity';) {
    name = producer.inputs[0] ?? ''
    producer = analysis.ir.producers.get(name)
  }
  return findInitializer(analysis.loaded, name)
}

function floatsOf(analysis: ModelAnalysis, tensor: string, role: string): Float32Array {
  const proto = constantBehind(analysis, tensor)
  if (proto === undefined)
    throw notReadable(analysis, `its ${role} '${tensor}' is not an initializer`)
  return tensorToFloat32(proto, (t) => analysis.loaded.externalTensors.get(t.name ?? ''))
}

function dimsOf(analysis: ModelAnalysis, tensor: string): number[] {
  return (constantBehind(analysis, tensor)?.dims ?? []).map(Number)
}

/** W stored K × N (transposed: C × d) or N × K (d × C), returned C × d. */
function asClassRows(stored: Float32Array, rows: number, columns: number, isClassMajor: boolean) {
  if (isClassMajor) return { weights: stored, classes: rows, dim: columns }
  const weights = new Float32Array(stored.length)
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) weights[j * rows + i] = stored[i * columns + j]
  return { weights, classes: columns, dim: rows }
}

function biasOf(
  analysis: ModelAnalysis,
  tensor: string | undefined,
  classes: number,
): Float32Array {
  if (tensor === undefined || tensor === '') return new Float32Array(classes)
  const values = floatsOf(analysis, tensor, 'bias')
  if (values.length === classes) return values
  if (values.length === 1) return new Float32Array(classes).fill(values[0])
  throw notReadable(analysis, `its bias has ${values.length} values for ${classes} classes`)
}

function gemmClassifier(analysis: ModelAnalysis, node: GraphNode): FinalClassifier {
  if (attributeInt(node, 'transA', 0) !== 0) throw notReadable(analysis, 'its Gemm has transA = 1')
  const weightName = node.inputs[1] ?? ''
  const [rows, columns] = dimsOf(analysis, weightName)
  const stored = floatsOf(analysis, weightName, 'weight')
  const layout = asClassRows(stored, rows, columns, attributeInt(node, 'transB', 0) === 1)
  const alpha = attributeFloat(node, 'alpha', 1)
  const beta = attributeFloat(node, 'beta', 1)
  const weights = alpha === 1 ? layout.weights : layout.weights.map((w) => w * alpha)
  const bias = biasOf(analysis, node.inputs[2], layout.classes).map((b) => b * beta)
  return { ...layout, weights, bias, input: node.inputs[0] ?? '' }
}

function matMulClassifier(analysis: ModelAnalysis, node: GraphNode): FinalClassifier {
  const weightName = node.inputs[1] ?? ''
  const [rows, columns] = dimsOf(analysis, weightName)
  const layout = asClassRows(floatsOf(analysis, weightName, 'weight'), rows, columns, false)
  const biasAdd = analysis.structure.head.nodes.find(
    (candidate) => candidate.opType === 'Add' && candidate.inputs.includes(node.outputs[0] ?? ''),
  )
  const biasName = biasAdd?.inputs.find((name) => name !== node.outputs[0])
  return {
    ...layout,
    bias: biasOf(analysis, biasName, layout.classes),
    input: node.inputs[0] ?? '',
  }
}

/** W and b of the model's final Gemm (or MatMul + bias Add), read from its initializers. */
export function readFinalClassifier(analysis: ModelAnalysis): FinalClassifier {
  const node = analysis.structure.head.classifier
  const classifier =
    node.opType === 'Gemm' ? gemmClassifier(analysis, node) : matMulClassifier(analysis, node)
  if (classifier.weights.length !== classifier.classes * classifier.dim || classifier.dim === 0)
    throw notReadable(analysis, 'its weight is not a 2-D matrix')
  return classifier
}
