import { DataType } from '../onnx/proto.ts'
import type { GraphProto, NodeProto, TypeProto, ValueInfoProto } from '../onnx/proto.ts'
import { findAttribute, readIntAttribute } from './attributes.ts'

/** One dimension of a declared shape: a size, a symbol such as 'batch', or unknown. */
export type DeclaredDim = number | string | null

export function tensorTypeProto(elemType: number, shape?: readonly DeclaredDim[]): TypeProto {
  if (shape === undefined) return { tensorType: { elemType } }
  const dim = shape.map((d) =>
    typeof d === 'number' ? { dimValue: d } : d === null ? {} : { dimParam: d },
  )
  return { tensorType: { elemType, shape: { dim } } }
}

/** The declared type of a tensor: value_info, graph inputs and outputs, or an initializer. */
export function findDeclaredType(graph: GraphProto, name: string): TypeProto | undefined {
  const lists = [graph.valueInfo, graph.input, graph.output]
  for (const list of lists) {
    const found = list?.find((info) => info.name === name && info.type?.tensorType !== undefined)
    if (found?.type !== undefined) return found.type
  }
  const initializer = graph.initializer?.find((tensor) => tensor.name === name)
  if (initializer === undefined) return undefined
  return tensorTypeProto(initializer.dataType ?? DataType.FLOAT, initializer.dims ?? [])
}

const INT64_RESULTS = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin'])
const BOOL_RESULTS = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not'])
const TYPE_FROM_SECOND_INPUT = new Set(['Where'])

/**
 * The element type of a tensor whose type was never declared, followed back through its producers.
 * Most ops keep their first input's type; the exceptions that matter in classifier graphs are here.
 */
export function inferElemType(graph: GraphProto, name: string, depth = 0): number | undefined {
  const declared = findDeclaredType(graph, name)?.tensorType?.elemType
  if (declared !== undefined || depth > 256) return declared
  const producer = graph.node?.find((node) => node.output?.includes(name))
  if (producer === undefined) return undefined
  const fixed = elemTypeFixedByOp(producer)
  if (fixed !== undefined) return fixed
  const source = TYPE_FROM_SECOND_INPUT.has(producer.opType ?? '') ? 1 : 0
  const input = producer.input?.[source]
  return input === undefined ? undefined : inferElemType(graph, input, depth + 1)
}

function elemTypeFixedByOp(node: NodeProto): number | undefined {
  const op = node.opType ?? ''
  if (INT64_RESULTS.has(op)) return DataType.INT64
  if (BOOL_RESULTS.has(op)) return DataType.BOOL
  if (op === 'Cast') return readIntAttribute(node, 'to', DataType.FLOAT)
  if (op === 'Constant') return findAttribute(node, 'value')?.t?.dataType ?? DataType.FLOAT
  if (op === 'ConstantOfShape') return findAttribute(node, 'value')?.t?.dataType ?? DataType.FLOAT
  return undefined
}

export function valueInfo(name: string, type: TypeProto): ValueInfoProto {
  return { name, type }
}
