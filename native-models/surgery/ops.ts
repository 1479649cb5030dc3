import { intAttribute, intsAttribute, stringAttribute } from './attributes.ts'
import type { AttributeProto } from '../onnx/proto.ts'
import type { GraphBuilder, NodeSpec } from './graph-builder.ts'
import { OPSET } from './opset.ts'

// Opset-aware emitters for the ops whose form depends on the opset. Each returns its output name.

export type ReduceOp =
  | 'ReduceMean'
  | 'ReduceMax'
  | 'ReduceMin'
  | 'ReduceSum'
  | 'ReduceSumSquare'
  | 'ReduceL2'
  | 'ReduceProd'

export interface EmitOptions {
  /** Base of the node name (made unique). */
  name?: string
  /** Output tensor name (made unique); default `<node name>_output_0`. */
  output?: string
}

export function emitSingle(
  builder: GraphBuilder,
  spec: NodeSpec,
  options: EmitOptions = {},
): string {
  const outputs = options.output === undefined ? 1 : [options.output]
  const [output] = builder.addNode({ ...spec, name: options.name ?? spec.name, outputs })
  return output
}

export function emitReduce(
  builder: GraphBuilder,
  op: ReduceOp,
  input: string,
  axes: readonly number[],
  options: EmitOptions & { keepdims?: boolean } = {},
): string {
  const firstAxesInput =
    op === 'ReduceSum' ? OPSET.axesInputForSqueezeAndReduceSum : OPSET.axesInputForReduce
  const keepdims = intAttribute('keepdims', options.keepdims === false ? 0 : 1)
  return emitWithAxes(builder, op, input, axes, firstAxesInput, [keepdims], options)
}

export function emitSqueeze(
  builder: GraphBuilder,
  input: string,
  axes: readonly number[],
  options: EmitOptions = {},
): string {
  const since = OPSET.axesInputForSqueezeAndReduceSum
  return emitWithAxes(builder, 'Squeeze', input, axes, since, [], options)
}

export function emitUnsqueeze(
  builder: GraphBuilder,
  input: string,
  axes: readonly number[],
  options: EmitOptions = {},
): string {
  const since = OPSET.axesInputForSqueezeAndReduceSum
  return emitWithAxes(builder, 'Unsqueeze', input, axes, since, [], options)
}

function emitWithAxes(
  builder: GraphBuilder,
  opType: string,
  input: string,
  axes: readonly number[],
  firstOpsetWithAxesInput: number,
  attributes: AttributeProto[],
  options: EmitOptions,
): string {
  if (builder.opset >= firstOpsetWithAxesInput) {
    const inputs = [input, builder.int64Constant(axes)]
    return emitSingle(builder, { opType, inputs, attributes }, options)
  }
  const withAxes = [intsAttribute('axes', axes), ...attributes]
  return emitSingle(builder, { opType, inputs: [input], attributes: withAxes }, options)
}

export type ScatterReduction = 'none' | 'add' | 'mul' | 'max' | 'min'

/**
 * ScatterElements; a reduction upgrades an older model (16 for add/mul, 18 for max/min), and the
 * upgrade is listed in `builder.upgrades`.
 */
export function emitScatterElements(
  builder: GraphBuilder,
  inputs: { data: string; indices: string; updates: string },
  axis: number,
  reduction: ScatterReduction,
  options: EmitOptions = {},
): string {
  const attributes = [intAttribute('axis', axis)]
  if (reduction !== 'none') {
    const needs =
      reduction === 'add' || reduction === 'mul' ? OPSET.scatterReduction : OPSET.scatterMinMax
    builder.ensureOpset(needs, `ScatterElements(reduction=${reduction})`)
    attributes.push(stringAttribute('reduction', reduction))
  }
  const spec = { opType: 'ScatterElements', inputs: [inputs.data, inputs.indices, inputs.updates] }
  return emitSingle(builder, { ...spec, attributes }, options)
}
