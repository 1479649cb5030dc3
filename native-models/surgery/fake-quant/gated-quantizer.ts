import { DataType } from '../../onnx/proto.ts'
import { graphAttribute } from '../attributes.ts'
import type { GraphBuilder } from '../graph-builder.ts'
import { emitReduce, emitSingle } from '../ops.ts'
import { tensorTypeProto } from '../value-types.ts'
import type { QuantizerConstants } from './constants.ts'
import type { BitSource } from './levels.ts'
import { emitQuantizer } from './quantizer.ts'
import type { QuantizerTensors } from './quantizer.ts'

const OUTPUTS = [
  'quantized',
  'maxAbs',
  'zeroCount',
  'quantizedNonzeroCount',
  'bits',
  'signed',
] as const

/**
 * The quantizer inside an If on "does any channel of this site have a nonzero input": a site
 * that is off costs one reduction of its [C] input instead of some twenty passes over the
 * activation, so a pass with one site on (or none) runs at about the plain model's speed. When
 * off, x̂ is x and the accounting vectors are zeros; a negative input measures without quantizing.
 */
export function emitGatedQuantizer(
  builder: GraphBuilder,
  constants: QuantizerConstants,
  site: { tensor: string; source: BitSource; input: string; channels: number },
): QuantizerTensors {
  const prefix = `${site.tensor}/FakeQuantGate`
  const magnitude = emitSingle(
    builder,
    { opType: 'Abs', inputs: [site.input], attributes: [] },
    { name: `${prefix}/InputMagnitude` },
  )
  const largest = emitReduce(builder, 'ReduceMax', magnitude, [0], {
    keepdims: false,
    name: `${prefix}/LargestInput`,
  })
  const isOn = emitSingle(
    builder,
    { opType: 'Greater', inputs: [largest, constants.zero], attributes: [] },
    { name: `${prefix}/IsOn` },
  )
  const types = {
    quantized: tensorTypeProto(DataType.FLOAT, [null, site.channels, null, null]),
    vector: tensorTypeProto(DataType.FLOAT, [site.channels]),
    scalar: tensorTypeProto(DataType.FLOAT, []),
  }
  const typeOf = (key: (typeof OUTPUTS)[number]) =>
    key === 'quantized' ? types.quantized : key === 'signed' ? types.scalar : types.vector
  const on = builder.subgraph(`${prefix}/On`, (sub) => {
    const tensors = emitQuantizer(sub, constants, site)
    return OUTPUTS.map((key) => ({ tensor: tensors[key], type: typeOf(key) }))
  })
  const zeros = builder.float32Constant(`${prefix}/Zeros`, new Float32Array(site.channels), [
    site.channels,
  ])
  const off = builder.subgraph(`${prefix}/Off`, (sub) =>
    OUTPUTS.map((key) => {
      const source = key === 'quantized' ? site.tensor : key === 'signed' ? constants.zero : zeros
      const [tensor] = sub.addNode({
        opType: 'Identity',
        inputs: [source],
        name: `${prefix}/Off/${key}`,
      })
      return { tensor: tensor, type: typeOf(key) }
    }),
  )
  const outputs = builder.addNode({
    opType: 'If',
    inputs: [isOn],
    name: `${prefix}/If`,
    outputs: OUTPUTS.map((key) => `${prefix}/${key}`),
    attributes: [graphAttribute('then_branch', on), graphAttribute('else_branch', off)],
  })
  return Object.fromEntries(
    OUTPUTS.map((key, i) => [key, outputs[i]]),
  ) as unknown as QuantizerTensors
}
