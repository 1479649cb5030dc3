// NPY files: '\x93NUMPY', a version, a little-endian header length (uint16 in v1, uint32 in v2/v3),
// a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (N, H, W), } and the data.
import { basename } from 'node:path'
import { DatasetError } from './errors.ts'

export interface NpyArray {
  /** numpy's type string without the byte order, e.g. 'u1', 'f4', 'i8'. */
  kind: string
  shape: number[]
  /** Images: Uint8Array (u1) or Float32Array (f4); labels: Int32Array-compatible numbers. */
  data: Uint8Array | Float32Array | Float64Array
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY

const ITEM_SIZES: Record<string, number> = {
  u1: 1,
  i1: 1,
  u2: 2,
  i2: 2,
  u4: 4,
  i4: 4,
  u8: 8,
  i8: 8,
  f4: 4,
  f8: 8,
  b1: 1,
}

/** What an NPY header says: dtype, shape, and where the data starts. */
export interface NpyHeader {
  byteOrder: string
  kind: string
  fortranOrder: boolean
  shape: number[]
  dataOffset: number
}

function malformed(file: string, problem: string, fix: string): DatasetError {
  return new DatasetError('DATASET_MALFORMED', `'${basename(file)}' ${problem}: ${fix}.`)
}

function headerText(bytes: Uint8Array, file: string): { text: string; dataOffset: number } {
  if (bytes.length < 10 || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw malformed(file, 'is not an NPY file (no \\x93NUMPY magic)', 'save it with numpy.save')
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const major = bytes[6]
  const wide = major >= 2
  const length = wide ? view.getUint32(8, true) : view.getUint16(8, true)
  const start = wide ? 12 : 10
  if (start + length > bytes.length) {
    throw malformed(
      file,
      `is ${bytes.length} bytes long, shorter than its ${length}-byte header`,
      'the file is truncated; save it again',
    )
  }
  const text = new TextDecoder(major >= 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(start, start + length),
  )
  return { text, dataOffset: start + length }
}

/** Parses the header only (the bytes may stop after it): checks a large file before reading it. */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  const { text, dataOffset } = headerText(bytes, file)
  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(text)
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)
  const shape = /'shape'\s*:\s*\(([\d\s,]*)\)/.exec(text)
  if (!descr || !fortran || !shape) {
    throw malformed(
      file,
      `has a header numpy would not write for a plain array (${text.trim()})`,
      'save a plain uint8/float32 array with numpy.save',
    )
  }
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number)
  return {
    byteOrder: descr[1],
    kind: descr[2],
    fortranOrder: fortran[1] === 'True',
    shape: dims,
    dataOffset,
  }
}

function convert(bytes: Uint8Array, header: NpyHeader, count: number): NpyArray['data'] {
  const littleEndian = header.byteOrder !== '>'
  const view = new DataView(
    bytes.buffer,
    bytes.byteOffset + header.dataOffset,
    count * ITEM_SIZES[header.kind],
  )
  if (header.kind === 'u1' || header.kind === 'b1')
    return bytes.slice(header.dataOffset, header.dataOffset + count)
  if (header.kind === 'f4') {
    const out = new Float32Array(count)
    for (let i = 0; i < count; i += 1) out[i] = view.getFloat32(4 * i, littleEndian)
    return out
  }
  const out = new Float64Array(count)
  const size = ITEM_SIZES[header.kind]
  const read = READERS[header.kind]
  for (let i = 0; i < count; i += 1) out[i] = read(view, size * i, littleEndian)
  return out
}

const READERS: Record<string, (view: DataView, offset: number, littleEndian: boolean) => number> = {
  i1: (v, o) => v.getInt8(o),
  u2: (v, o, le) => v.getUint16(o, le),
  i2: (v, o, le) => v.getInt16(o, le),
  u4: (v, o, le) => v.getUint32(o, le),
  i4: (v, o, le) => v.getInt32(o, le),
  u8: (v, o, le) => Number(v.getBigUint64(o, le)),
  i8: (v, o, le) => Number(v.getBigInt64(o, le)),
  f8: (v, o, le) => v.getFloat64(o, le),
}

/** Parses an NPY file of a plain numeric array and checks that its length is what the header claims. */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const header = parseNpyHeader(bytes, file)
  const size = ITEM_SIZES[header.kind]
  if (size === undefined) {
    throw malformed(
      file,
      `holds '${header.kind}' values`,
      'save images as uint8 or float32 and labels as integers',
    )
  }
  if (header.fortranOrder) {
    throw malformed(
      file,
      'is stored in Fortran (column-major) order',
      'save numpy.ascontiguousarray(array) instead',
    )
  }
  const count = header.shape.reduce((product, d) => product * d, 1)
  const actual = bytes.length - header.dataOffset
  if (actual !== count * size) {
    throw malformed(
      file,
      `claims shape (${header.shape.join(', ')}) = ${count * size} bytes of '${header.kind}' data but holds ${actual}`,
      'the file is truncated or was not written by numpy.save; save it again',
    )
  }
  return { kind: header.kind, shape: header.shape, data: convert(bytes, header, count) }
}
