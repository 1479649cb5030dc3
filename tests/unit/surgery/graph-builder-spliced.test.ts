import protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'
import { DataType, decodeModelProto, encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { emitChannelReduce } from '../../../native-models/surgery/reductions.ts'
import { tensorTypeProto } from '../../../native-models/surgery/value-types.ts'
import { expectErrorCode } from './helpers/expect-error.ts'
import { legacyClassifier, tinyClassifier } from './helpers/tiny-classifier.ts'

const RELU = '/relu/Relu_output_0'
const CONV = '/conv/Conv_output_0'

/** Decoded and encoded again: one canonical byte form, whichever way the model was written. */
const canonical = (bytes: Uint8Array): Buffer =>
  Buffer.from(encodeModelProto(decodeModelProto(bytes)))

/** Negates the Relu output right after the Relu and makes the pooling read the negation. */
function rewired(original: Uint8Array): GraphBuilder {
  const builder = GraphBuilder.fromBytes(original)
  const negated = builder.insertingAfter(RELU, () => {
    const [output] = builder.addNode({ opType: 'Neg', inputs: [RELU] })
    return output
  })
  builder.replaceInput('/avgpool/GlobalAveragePool_output_0', RELU, negated)
  builder.addOutput(emitChannelReduce(builder, 'ReduceMax', RELU))
  builder.addInput('levels', tensorTypeProto(DataType.FLOAT, [4]))
  return builder
}

/** A graph field the decoder does not know (number 99): a re-encode would drop it. */
const UNKNOWN_GRAPH_FIELD = protobuf.Writer.create()
  .uint32((99 << 3) | 0)
  .uint32(424242)
  .finish()

function withUnknownGraphField(bytes: Uint8Array): Uint8Array {
  const extra = protobuf.Writer.create()
    .uint32((7 << 3) | 2)
    .bytes(UNKNOWN_GRAPH_FIELD)
    .finish()
  return Buffer.concat([bytes, extra])
}

describe('GraphBuilder.encodeSplicedInto', () => {
  it('decodes to the same model as a full encode after nodes were inserted and rewired', () => {
    const original = encodeModelProto(tinyClassifier(17))
    const builder = rewired(original)
    const spliced = builder.encodeSplicedInto(original)
    expect(canonical(spliced)).toEqual(canonical(builder.encode()))
    expect(builder.graph.node?.map((node) => node.opType)).toEqual([
      'Conv',
      'Relu',
      'Neg',
      'GlobalAveragePool',
      'Flatten',
      'Gemm',
      'ReduceMax',
    ])
  })

  it('copies every graph field but the nodes byte for byte, unknown ones included', () => {
    const original = withUnknownGraphField(encodeModelProto(tinyClassifier(13)))
    const builder = rewired(original)
    const spliced = Buffer.from(builder.encodeSplicedInto(original))
    expect(spliced.indexOf(Buffer.from(UNKNOWN_GRAPH_FIELD))).toBeGreaterThan(0)
    expect(Buffer.from(builder.encode()).indexOf(Buffer.from(UNKNOWN_GRAPH_FIELD))).toBe(-1)
    expect(canonical(spliced)).toEqual(canonical(builder.encode()))
  })

  it('merges a model written as several graph fields into one', () => {
    const first = encodeModelProto(tinyClassifier(17))
    const appender = GraphBuilder.fromBytes(first)
    appender.addOutput(emitChannelReduce(appender, 'ReduceMean', CONV))
    const appended = appender.encodeAppendedTo(first)
    const builder = rewired(appended)
    expect(canonical(builder.encodeSplicedInto(appended))).toEqual(canonical(builder.encode()))
  })

  it('refuses bytes other than those the builder was decoded from', () => {
    const builder = rewired(encodeModelProto(tinyClassifier(17)))
    expect(() => builder.encodeSplicedInto(encodeModelProto(legacyClassifier()))).toThrow(
      /hold 12 nodes, not the 5/,
    )
  })

  it('puts nodes inserted after a graph input at the start', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    builder.insertingAfter('input', () => builder.addNode({ opType: 'Abs', inputs: ['input'] }))
    expect(builder.graph.node?.[0]?.opType).toBe('Abs')
  })

  it('lets appending fall back to a full encode once nodes were edited in place', () => {
    const original = encodeModelProto(tinyClassifier(17))
    const builder = rewired(original)
    expect(Buffer.from(builder.encodeAppendedTo(original))).toEqual(Buffer.from(builder.encode()))
  })

  it('refuses to rewire a node that does not read the tensor', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    expectErrorCode(
      () => builder.replaceInput('logits', RELU, CONV),
      'INVALID_ARGUMENT',
      /No node producing 'logits' reads '\/relu\/Relu_output_0'/,
    )
  })

  it('leaves the model it was given unchanged when rewiring', () => {
    const model = tinyClassifier(17)
    const before = JSON.stringify(model)
    rewired(encodeModelProto(model))
    new GraphBuilder(model).replaceInput(RELU, CONV, 'input')
    expect(JSON.stringify(model)).toBe(before)
  })
})
