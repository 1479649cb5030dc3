import { ModelError } from '../onnx/errors.ts'
import type { GraphProto, NodeProto } from '../onnx/proto.ts'
import {
  intAttribute,
  readIntAttribute,
  readIntsAttribute,
  withoutAttributes,
} from './attributes.ts'
import { HIGHEST_UPGRADE_TARGET, isAiOnnxDomain, LOWEST_SUPPORTED_OPSET, OPSET } from './opset.ts'
import { findDeclaredType } from './value-types.ts'

/** What the upgrade needs from the builder: constants, fresh names and a look at the graph. */
export interface UpgradeContext {
  readonly graph: Readonly<GraphProto>
  int64Constant(values: readonly number[], dims?: readonly number[]): string
  freshName(base: string): string
}

/** Ops whose attribute/input forms did not change between opsets 11 and 18 (only type lists grew). */
const UNCHANGED_OPS = new Set([
  ...['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool'],
  ...['Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'Elu', 'Selu', 'Clip'],
  ...['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sqrt', 'Exp', 'Log', 'Neg', 'Abs', 'Reciprocal', 'Erf'],
  ...['Floor', 'Ceil', 'Round', 'Sign', 'Min', 'Max', 'Sum', 'Mean', 'ArgMax', 'ArgMin', 'TopK'],
  ...['Flatten', 'Reshape', 'Gemm', 'MatMul', 'Identity', 'Constant', 'ConstantOfShape'],
  ...['Transpose', 'Shape', 'Size', 'Gather', 'GatherElements', 'ScatterElements', 'Concat'],
  ...['Cast', 'Slice', 'Expand', 'Tile', 'Range', 'Where', 'Pad', 'NonZero'],
  ...['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or'],
  ...['QuantizeLinear', 'DequantizeLinear'],
])

const REDUCE_OPS = new Set([
  ...['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2'],
  ...['ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'],
])

interface Crossing {
  from: number
  to: number
}

function crosses(range: Crossing, opset: number): boolean {
  return range.from < opset && range.to >= opset
}

/** Rewrites the nodes whose form changed between `from` and `to`; the input list is not modified. */
export function upgradeNodes(
  nodes: readonly NodeProto[],
  from: number,
  to: number,
  context: UpgradeContext,
): { nodes: NodeProto[]; rewrites: string[] } {
  assertUpgradeRange(from, to)
  const counts = new Map<string, number>()
  const count = (label: string): void => void counts.set(label, (counts.get(label) ?? 0) + 1)
  const upgraded = nodes.flatMap((node) =>
    isAiOnnxDomain(node.domain) ? upgradeNode(node, { from, to }, context, count) : [node],
  )
  const rewrites = [...counts].map(([label, n]) => `${label} (${n} node${n === 1 ? '' : 's'})`)
  return { nodes: upgraded, rewrites }
}

function assertUpgradeRange(from: number, to: number): void {
  if (from < LOWEST_SUPPORTED_OPSET || to > HIGHEST_UPGRADE_TARGET) {
    throw new ModelError(
      'UNSUPPORTED_OPSET',
      `Cannot upgrade opset ${from} to ${to}: opsets ${LOWEST_SUPPORTED_OPSET}–${HIGHEST_UPGRADE_TARGET} are supported.`,
    )
  }
}

function upgradeNode(
  node: NodeProto,
  range: Crossing,
  context: UpgradeContext,
  count: (label: string) => void,
): NodeProto[] {
  const op = node.opType ?? ''
  const early = op === 'ReduceSum' || op === 'Squeeze' || op === 'Unsqueeze'
  const axesAt = early ? OPSET.axesInputForSqueezeAndReduceSum : OPSET.axesInputForReduce
  if (early || REDUCE_OPS.has(op)) {
    const moved = crosses(range, axesAt) ? moveIntsToInput(node, 'axes', 1, context) : node
    if (moved !== node) count(`${op}: axes attribute → input`)
    return [moved]
  }
  if (op === 'Split') return [upgradeSplit(node, range, context, count)]
  if (op === 'Softmax' || op === 'LogSoftmax' || op === 'Hardmax') {
    return crosses(range, OPSET.softmaxSingleAxis) ? upgradeSoftmax(node, context, count) : [node]
  }
  if (op === 'BatchNormalization') {
    return crosses(range, OPSET.batchNormTrainingModeAttribute)
      ? [dropTrainingOutputs(node, count)]
      : [node]
  }
  if (UNCHANGED_OPS.has(op)) return [node]
  throw new ModelError(
    'UNSUPPORTED_OPERATOR',
    `Cannot upgrade '${node.name ?? op}' (${op}) from opset ${range.from} to ${range.to}: the workbench does not know how its form changed.`,
  )
}

/** `op(x, attr=[…])` → `op(x, const)`; an absent attribute stays absent (same default meaning). */
function moveIntsToInput(
  node: NodeProto,
  attribute: string,
  inputIndex: number,
  context: UpgradeContext,
): NodeProto {
  const values = readIntsAttribute(node, attribute)
  if (values === undefined) return node
  const input = [...(node.input ?? [])]
  while (input.length < inputIndex) input.push('')
  input[inputIndex] = context.int64Constant(values)
  return { ...withoutAttributes(node, [attribute]), input }
}

function upgradeSplit(
  node: NodeProto,
  range: Crossing,
  context: UpgradeContext,
  count: (label: string) => void,
): NodeProto {
  let result = node
  if (crosses(range, OPSET.splitInput) && readIntsAttribute(node, 'split') !== undefined) {
    result = moveIntsToInput(node, 'split', 1, context)
    count('Split: split attribute → input')
  }
  const hasSplitInput = (result.input?.[1] ?? '') !== ''
  if (crosses(range, OPSET.splitNumOutputs) && !hasSplitInput) {
    const numOutputs = intAttribute('num_outputs', result.output?.length ?? 1)
    result = { ...result, attribute: [...(result.attribute ?? []), numOutputs] }
    count('Split: num_outputs attribute added')
  }
  return result
}

/**
 * Before opset 13 these ops flattened the input to 2-D at `axis` (default 1); from 13 they act on
 * one axis (default -1). Equal when `axis` is the last axis; otherwise spell out the old meaning.
 */
function upgradeSoftmax(
  node: NodeProto,
  context: UpgradeContext,
  count: (label: string) => void,
): NodeProto[] {
  const op = node.opType ?? 'Softmax'
  const axis = readIntAttribute(node, 'axis', 1)
  const rank = knownRank(context.graph, node.input?.[0] ?? '')
  if (axis === -1 || (rank !== undefined && axis === rank - 1)) {
    count(`${op}: axis made explicit (it is the last axis)`)
    return [{ ...withoutAttributes(node, ['axis']), attribute: [intAttribute('axis', axis)] }]
  }
  count(`${op}: 2-D coercion spelled out as Flatten → ${op} → Reshape`)
  return coercedSoftmax(node, axis, context)
}

function coercedSoftmax(node: NodeProto, axis: number, context: UpgradeContext): NodeProto[] {
  const op = node.opType ?? 'Softmax'
  const base = node.name ?? op
  const input = node.input?.[0] ?? ''
  const [flatName, innerName, shapeName] = ['Flatten', op, 'Shape'].map((suffix) =>
    context.freshName(`${base}/${suffix}`),
  ) as [string, string, string]
  const flat = context.freshName(`${flatName}_output_0`)
  const inner = context.freshName(`${innerName}_output_0`)
  const shape = context.freshName(`${shapeName}_output_0`)
  return [
    {
      name: flatName,
      opType: 'Flatten',
      input: [input],
      output: [flat],
      attribute: [intAttribute('axis', axis)],
    },
    {
      name: innerName,
      opType: op,
      input: [flat],
      output: [inner],
      attribute: [intAttribute('axis', 1)],
    },
    { name: shapeName, opType: 'Shape', input: [input], output: [shape], attribute: [] },
    { ...node, opType: 'Reshape', input: [inner, shape], attribute: [] },
  ]
}

function knownRank(graph: Readonly<GraphProto>, tensor: string): number | undefined {
  const dims = findDeclaredType(graph, tensor)?.tensorType?.shape?.dim
  if (dims !== undefined) return dims.length
  const producer = graph.node?.find((node) => node.output?.includes(tensor))
  return producer?.opType === 'Gemm' || producer?.opType === 'Flatten' ? 2 : undefined
}

/**
 * Before opset 14 extra BatchNormalization outputs meant training mode; from 14 that is the
 * `training_mode` attribute. Only inference graphs (trailing outputs absent) are upgraded.
 */
function dropTrainingOutputs(node: NodeProto, count: (label: string) => void): NodeProto {
  const outputs = [...(node.output ?? [])]
  while (outputs.length > 1 && outputs.at(-1) === '') outputs.pop()
  if (outputs.length > 1) {
    throw new ModelError(
      'UNSUPPORTED_OPERATOR',
      `'${node.name ?? 'BatchNormalization'}' is a training-mode BatchNormalization (${outputs.length} outputs); export the model with model.eval().`,
    )
  }
  if (outputs.length === (node.output ?? []).length) return node
  count('BatchNormalization: absent training outputs removed')
  return { ...node, output: outputs }
}
