import type { GraphProto, NodeProto } from '../onnx/proto.ts'
import { findAttribute, readIntAttribute, readIntsAttribute } from './attributes.ts'
import { readInt64 } from './tensors.ts'
import { findDeclaredType } from './value-types.ts'

// The rank of a tensor nobody declared, from its producers. A graph output needs a shape field to
// pass onnx's checker; with the rank known it can be declared with unknown dims, and shape
// inference (ours or ORT's) fills them in. Full shape inference lives in native-models/onnx.

const SAME_RANK_AS_FIRST_INPUT = new Set([
  ...['Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'Tanh', 'Clip', 'Floor', 'Ceil', 'Round', 'Sign'],
  ...['Abs', 'Neg', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Erf', 'Identity', 'Cast', 'Dropout'],
  ...['Softmax', 'LogSoftmax', 'Hardmax', 'BatchNormalization', 'Conv', 'ConvTranspose'],
  ...['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Transpose', 'Pad', 'Slice'],
  ...['ScatterElements', 'GatherElements', 'Concat', 'QuantizeLinear', 'DequantizeLinear'],
])

const BROADCASTING = new Set([
  ...['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Min', 'Max', 'Sum', 'Mean', 'Where'],
  ...['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or'],
])

const FIXED_RANK: Record<string, number> = { Flatten: 2, Gemm: 2, Shape: 1, Size: 0 }

interface RankSearch {
  graph: Readonly<GraphProto>
  producers: Map<string, NodeProto>
  /** Ranks found so far: a residual Add asks for the same tensors along both of its paths. */
  known: Map<string, number | undefined>
}

export function inferRank(graph: Readonly<GraphProto>, tensor: string): number | undefined {
  const producers = new Map<string, NodeProto>()
  for (const node of graph.node ?? []) {
    for (const output of node.output ?? []) if (!producers.has(output)) producers.set(output, node)
  }
  return rankIn({ graph, producers, known: new Map() }, tensor, 0)
}

function rankIn(search: RankSearch, tensor: string, depth: number): number | undefined {
  if (search.known.has(tensor)) return search.known.get(tensor)
  const declared = findDeclaredType(search.graph, tensor)?.tensorType?.shape?.dim
  if (declared !== undefined) return declared.length
  const producer = search.producers.get(tensor)
  if (producer === undefined || depth > 512) return undefined
  const rankOf = (input: string | undefined): number | undefined =>
    input === undefined || input === '' ? undefined : rankIn(search, input, depth + 1)
  const rank = rankFromProducer(search.graph, producer, rankOf)
  search.known.set(tensor, rank)
  return rank
}

function rankFromProducer(
  graph: Readonly<GraphProto>,
  node: NodeProto,
  rankOf: (input: string | undefined) => number | undefined,
): number | undefined {
  const op = node.opType ?? ''
  const inputs = node.input ?? []
  if (op in FIXED_RANK) return FIXED_RANK[op]
  if (SAME_RANK_AS_FIRST_INPUT.has(op)) return rankOf(inputs[0])
  if (BROADCASTING.has(op)) return maxOf(inputs.map(rankOf))
  if (op === 'MatMul') return matMulRank(rankOf(inputs[0]), rankOf(inputs[1]))
  if (op === 'Gather') return sumMinusOne(rankOf(inputs[0]), rankOf(inputs[1]))
  if (op === 'Reshape') return constantValues(graph, inputs[1])?.length
  if (op === 'Constant') return findAttribute(node, 'value')?.t?.dims?.length
  if (op === 'ConstantOfShape') return shapeLength(graph, inputs[0], rankOf)
  if (op === 'Unsqueeze' || op === 'Squeeze') return squeezeRank(graph, node, rankOf(inputs[0]))
  if (op.startsWith('Reduce')) return reduceRank(graph, node, rankOf(inputs[0]))
  return undefined
}

function maxOf(ranks: (number | undefined)[]): number | undefined {
  if (ranks.some((rank) => rank === undefined)) return undefined
  return Math.max(...(ranks as number[]))
}

function matMulRank(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined
  if (a >= 2 && b >= 2) return Math.max(a, b)
  return a === 1 && b === 1 ? 0 : Math.max(a, b) - 1
}

function sumMinusOne(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b - 1
}

/** Values of an int64 initializer or Constant node. */
function constantValues(
  graph: Readonly<GraphProto>,
  name: string | undefined,
): number[] | undefined {
  if (name === undefined || name === '') return undefined
  const initializer = graph.initializer?.find((tensor) => tensor.name === name)
  if (initializer !== undefined) return readInt64(initializer)
  const constant = graph.node?.find(
    (node) => node.opType === 'Constant' && node.output?.[0] === name,
  )
  const tensor = constant === undefined ? undefined : findAttribute(constant, 'value')?.t
  return tensor === undefined ? undefined : readInt64(tensor)
}

function shapeLength(
  graph: Readonly<GraphProto>,
  shape: string | undefined,
  rankOf: (input: string | undefined) => number | undefined,
): number | undefined {
  const producer = graph.node?.find((node) => node.output?.includes(shape ?? ''))
  if (producer?.opType === 'Shape') return rankOf(producer.input?.[0])
  return constantValues(graph, shape)?.length
}

function axesOf(graph: Readonly<GraphProto>, node: NodeProto): number[] | undefined {
  return readIntsAttribute(node, 'axes') ?? constantValues(graph, node.input?.[1])
}

function squeezeRank(
  graph: Readonly<GraphProto>,
  node: NodeProto,
  rank: number | undefined,
): number | undefined {
  const axes = axesOf(graph, node)
  if (rank === undefined || axes === undefined) return undefined
  return node.opType === 'Unsqueeze' ? rank + axes.length : rank - axes.length
}

function reduceRank(
  graph: Readonly<GraphProto>,
  node: NodeProto,
  rank: number | undefined,
): number | undefined {
  if (rank === undefined || readIntAttribute(node, 'keepdims', 1) === 1) return rank
  const axes = axesOf(graph, node)
  return axes === undefined ? 0 : rank - axes.length
}
