import { describe, expect, it } from 'vitest'
import { DataType, decodeModelProto, encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { emitCenteredGram } from '../../../native-models/surgery/reductions.ts'
import { tensorTypeProto } from '../../../native-models/surgery/value-types.ts'
import { legacyClassifier, tinyClassifier } from './helpers/tiny-classifier.ts'

/** Decoded and encoded again: one canonical byte form, whichever way the model was written. */
const canonical = (bytes: Uint8Array): Buffer =>
  Buffer.from(encodeModelProto(decodeModelProto(bytes)))

describe('GraphBuilder.encodeAppendedTo', () => {
  it('decodes to the same model as a full encode', () => {
    const original = encodeModelProto(tinyClassifier(17))
    const builder = GraphBuilder.fromBytes(original)
    builder.addOutput(emitCenteredGram(builder, '/relu/Relu_output_0', '/g', 2))
    builder.addOutput('/relu/Relu_output_0')
    builder.float32Constant('scale', Float32Array.of(2), [])
    builder.addInput('draws', tensorTypeProto(DataType.INT64, ['samples']))
    const appended = builder.encodeAppendedTo(original)
    expect(Buffer.from(appended.subarray(0, original.byteLength))).toEqual(Buffer.from(original))
    expect(canonical(appended)).toEqual(canonical(builder.encode()))
  })

  it('is the original bytes and an empty graph field when nothing was added', () => {
    const original = encodeModelProto(tinyClassifier(13))
    const appended = new GraphBuilder(decodeModelProto(original)).encodeAppendedTo(original)
    expect(canonical(appended)).toEqual(canonical(original))
  })

  it('refuses a graph input under a name the model already uses', () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    expect(() => builder.addInput('logits', tensorTypeProto(DataType.FLOAT))).toThrow(
      /already uses the name 'logits'/,
    )
  })

  it('encodes in full after an opset upgrade rewrote nodes in place', () => {
    const original = encodeModelProto(legacyClassifier())
    const builder = GraphBuilder.fromBytes(original)
    builder.ensureOpset(16, 'ScatterElements(reduction=add)')
    expect(Buffer.from(builder.encodeAppendedTo(original))).toEqual(Buffer.from(builder.encode()))
  })
})
