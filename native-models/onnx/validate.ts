// Refusals that come before any structural analysis, each naming what was found.

import { ModelError } from './errors.ts'
import { declaredDims, declaredElemType, isDefaultDomain } from './graph.ts'
import type { GraphIR } from './graph.ts'
import { DataType } from './proto.ts'
import type { ValueInfoProto } from './proto.ts'
import { SUPPORTED_OPERATORS } from './shape-inference.ts'
import { dataTypeName } from './tensor-data.ts'

export const MIN_OPSET = 11
export const MAX_OPSET = 18

/** Weight element types that mean a half-precision or quantised export. */
const UNSUPPORTED_WEIGHT_TYPES: number[] = [
  DataType.FLOAT16,
  DataType.BFLOAT16,
  DataType.DOUBLE,
  DataType.INT8,
  DataType.UINT8,
]

/** Inputs at these positions hold weights (Conv W/B, BN scale/bias/mean/var, Gemm B/C). */
const WEIGHT_SLOTS_FROM: Record<string, number> = { Conv: 1, BatchNormalization: 1, Gemm: 1 }

export function assertSupportedOpset(ir: GraphIR, fileName: string): void {
  if (ir.opset >= MIN_OPSET && ir.opset <= MAX_OPSET) return
  const found = ir.opset === 0 ? 'imports no ai.onnx opset' : `uses ai.onnx opset ${ir.opset}`
  throw new ModelError(
    'UNSUPPORTED_OPSET',
    `${fileName} ${found}; the workbench reads opsets ${MIN_OPSET}–${MAX_OPSET} (re-export with opset_version=17).`,
  )
}

/** Whether a tensor only ever feeds weight slots, directly or through Identity nodes. */
function isWeightTensor(ir: GraphIR, name: string): boolean {
  const consumers = ir.consumers.get(name) ?? []
  return (
    consumers.length > 0 &&
    consumers.every((node) => {
      if (node.opType === 'Identity') return node.outputs.every((out) => isWeightTensor(ir, out))
      const from = WEIGHT_SLOTS_FROM[node.opType]
      return from !== undefined && node.inputs.indexOf(name) >= from
    })
  )
}

function describeInput(input: ValueInfoProto): string {
  const dims = declaredDims(input)?.map((d) => d ?? '?') ?? ['?']
  return `'${input.name}' ${dataTypeName(declaredElemType(input))} [${dims.join(', ')}]`
}

/**
 * The image input: the first graph input that is not a weight (export_params=False exports list
 * weights as inputs too) and has four dims.
 */
export function findImageInput(ir: GraphIR, fileName: string): ValueInfoProto {
  const dataInputs = ir.inputs.filter((input) => !isWeightTensor(ir, input.name ?? ''))
  const image = dataInputs.find((input) => declaredDims(input)?.length === 4)
  if (image) return image
  const found =
    dataInputs.length > 0 ? dataInputs.slice(0, 3).map(describeInput).join(', ') : 'no data input'
  throw new ModelError(
    'NOT_IMAGE_CLASSIFIER',
    `${fileName} is not an image classifier: it has no 4-D image input (found ${found}).`,
  )
}

export function assertFloat32(ir: GraphIR, image: ValueInfoProto, fileName: string): void {
  const weights = [
    ...[...ir.initializers.values()].map((t) => ({ name: t.name, type: t.dataType ?? 0 })),
    ...ir.inputs
      .filter((i) => i !== image)
      .map((i) => ({ name: i.name, type: declaredElemType(i) })),
  ]
  const offending = weights.find((w) => UNSUPPORTED_WEIGHT_TYPES.includes(w.type))
  if (offending) {
    throw new ModelError(
      'UNSUPPORTED_DTYPE',
      `${fileName} stores ${dataTypeName(offending.type)} weights ('${offending.name}'); the workbench reads float32 models only (export without half precision or quantisation).`,
    )
  }
  const inputType = declaredElemType(image)
  if (inputType !== DataType.FLOAT) {
    throw new ModelError(
      'UNSUPPORTED_DTYPE',
      `${fileName} takes ${dataTypeName(inputType)} images ('${image.name}'); the workbench reads float32 models only.`,
    )
  }
}

export function assertSupportedOperators(ir: GraphIR, fileName: string): void {
  const unsupported = ir.nodes.filter(
    (node) => !isDefaultDomain(node.domain) || !SUPPORTED_OPERATORS.has(node.opType),
  )
  const first = unsupported[0]
  if (!first) return
  const op = isDefaultDomain(first.domain) ? first.opType : `${first.domain}::${first.opType}`
  const kinds = new Set(unsupported.map((node) => node.opType))
  const others = kinds.size > 1 ? ` (and ${[...kinds].slice(1).join(', ')})` : ''
  throw new ModelError(
    'UNSUPPORTED_OPERATOR',
    `${fileName} uses the operator ${op} (node '${first.name}')${others}, which is outside the ResNet op set the workbench reads.`,
  )
}
