// IDX files (MNIST family): a 4-byte magic 0x00 0x00 <type> <rank>, `rank` big-endian uint32
// dimensions, then the values. Only unsigned bytes (type 0x08) hold images and labels in practice.
import { basename } from 'node:path'
import { DatasetError } from './errors.ts'

export interface IdxArray {
  dims: number[]
  data: Uint8Array
}

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
}

function malformed(file: string, problem: string, fix: string): DatasetError {
  return new DatasetError('DATASET_MALFORMED', `'${basename(file)}' ${problem}: ${fix}.`)
}

const REDOWNLOAD = 'the file is truncated or its header is wrong, so download or export it again'

function readHeader(bytes: Uint8Array, file: string): { dims: number[]; headerLength: number } {
  if (bytes.length < 4) {
    throw malformed(file, `is ${bytes.length} bytes long, too short for an IDX header`, REDOWNLOAD)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const magic = view.getUint32(0)
  const type = bytes[2]
  const rank = bytes[3]
  if (bytes[0] !== 0 || bytes[1] !== 0 || TYPE_NAMES[type] === undefined || rank === 0) {
    const hex = `0x${magic.toString(16).padStart(8, '0')}`
    throw malformed(
      file,
      `is not an IDX file (magic ${hex}, expected 0x0000 then a type and a rank)`,
      'point the dataset at MNIST-style *-idx?-ubyte files',
    )
  }
  if (type !== 0x08) {
    throw malformed(
      file,
      `holds ${TYPE_NAMES[type]} values`,
      'only unsigned-byte IDX files (magic 0x0000080N) are supported; convert it to uint8 or save it as NPY',
    )
  }
  const headerLength = 4 + 4 * rank
  if (bytes.length < headerLength) {
    throw malformed(
      file,
      `is ${bytes.length} bytes long but its header needs ${headerLength} for ${rank} dimensions`,
      REDOWNLOAD,
    )
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i))
  return { dims, headerLength }
}

/** Parses an (uncompressed) unsigned-byte IDX file and checks that its length is what the header claims. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const { dims, headerLength } = readHeader(bytes, file)
  const claimed = dims.reduce((product, d) => product * d, 1)
  const actual = bytes.length - headerLength
  if (claimed !== actual) {
    throw malformed(
      file,
      `claims ${dims.join(' × ')} = ${claimed} bytes of data but holds ${actual}`,
      REDOWNLOAD,
    )
  }
  return { dims, data: bytes.subarray(headerLength) }
}

/** Checks that an images file is [count, rows, columns] and a labels file [count], with equal counts. */
export function assertImagesAndLabels(
  images: IdxArray,
  labels: IdxArray,
  imagesFile: string,
  labelsFile: string,
): void {
  if (images.dims.length !== 3) {
    throw malformed(
      imagesFile,
      `has ${images.dims.length} dimensions [${images.dims.join(', ')}], not [count, rows, columns]`,
      'use an idx3 images file',
    )
  }
  if (labels.dims.length !== 1) {
    throw malformed(
      labelsFile,
      `has ${labels.dims.length} dimensions [${labels.dims.join(', ')}], not [count]`,
      'use an idx1 labels file',
    )
  }
  if (images.dims[0] !== labels.dims[0]) {
    throw malformed(
      labelsFile,
      `holds ${labels.dims[0]} labels but '${basename(imagesFile)}' holds ${images.dims[0]} images`,
      'use the labels file of the same split and download both again',
    )
  }
}
