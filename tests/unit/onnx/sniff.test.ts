import { describe, expect, it } from 'vitest'
import { sniffModelBytes } from '../../../native-models/onnx/sniff.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { buildTinyResNet } from '../../fixtures/models/tiny-resnet.ts'

const bytesOf = (...values: number[]): Uint8Array => Uint8Array.from(values)
const text = (value: string): Uint8Array => new TextEncoder().encode(value)

function looksLike(bytes: Uint8Array): string {
  const result = sniffModelBytes(bytes)
  return result.isOnnx ? 'onnx' : result.looksLike
}

describe('sniffModelBytes', () => {
  it('accepts a model that starts with ir_version, as every exporter writes it', () => {
    expect(sniffModelBytes(encodeModelProto(buildTinyResNet().model))).toEqual({ isOnnx: true })
  })

  it('accepts a model whose first field is another ModelProto field (the graph)', () => {
    const { graph } = buildTinyResNet().model
    const bytes = encodeModelProto({ graph })
    expect(bytes[0]).toBe(0x3a)
    expect(sniffModelBytes(bytes)).toEqual({ isOnnx: true })
  })

  it('accepts the first bytes of a model cut short, leaving the verdict to the decoder', () => {
    expect(sniffModelBytes(encodeModelProto(buildTinyResNet().model).subarray(0, 40))).toEqual({
      isOnnx: true,
    })
  })

  it('names images, archives and other model formats', () => {
    expect(looksLike(bytesOf(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('a PNG image')
    expect(looksLike(bytesOf(0xff, 0xd8, 0xff, 0xe0))).toBe('a JPEG image')
    expect(looksLike(bytesOf(0x1f, 0x8b, 0x08, 0x00))).toBe('a gzip archive')
    expect(looksLike(bytesOf(0x80, 0x02, 0x7d, 0x71))).toContain('pickle')
    expect(looksLike(bytesOf(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a))).toContain('HDF5')
    expect(looksLike(Uint8Array.from([0, 0, 0, 0, ...text('TFL3')]))).toContain('TensorFlow Lite')
  })

  it('tells a PyTorch checkpoint zip from any other zip', () => {
    const zip = (entry: string): Uint8Array =>
      Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...new Array<number>(26).fill(0), ...text(entry)])
    expect(looksLike(zip('archive/data.pkl'))).toContain('PyTorch checkpoint')
    expect(looksLike(zip('images/cat.jpg'))).toBe('a zip archive')
  })

  it('quotes the first line of a text file, even one that starts with a valid tag byte', () => {
    expect(looksLike(text('epoch,loss\n1,2.3\n'))).toBe('a text file')
    expect(looksLike(text(':root { color: red }'))).toContain('text file')
    expect(looksLike(text('Bonjour'))).toContain('text file')
  })

  it('calls an empty file empty', () => {
    expect(looksLike(new Uint8Array())).toBe('an empty file (0 bytes)')
  })
})
