// A cheap look at the first bytes before handing a file to the protobuf decoder: decoding a
// 100 MB PNG or a PyTorch zip "successfully" into garbage fields is worse than a clear refusal.

const WIRE_VARINT = 0
const WIRE_LENGTH_DELIMITED = 2

/** ModelProto field numbers and their wire types (onnx.proto). */
const MODEL_PROTO_FIELDS = new Map<number, number>([
  [1, WIRE_VARINT], // ir_version
  [2, WIRE_LENGTH_DELIMITED], // producer_name
  [3, WIRE_LENGTH_DELIMITED], // producer_version
  [4, WIRE_LENGTH_DELIMITED], // domain
  [5, WIRE_VARINT], // model_version
  [6, WIRE_LENGTH_DELIMITED], // doc_string
  [7, WIRE_LENGTH_DELIMITED], // graph
  [8, WIRE_LENGTH_DELIMITED], // opset_import
  [14, WIRE_LENGTH_DELIMITED], // metadata_props
  [20, WIRE_LENGTH_DELIMITED], // training_info
  [25, WIRE_LENGTH_DELIMITED], // functions
])

const FIELDS_TO_CHECK = 4

export type SniffResult = { isOnnx: true } | { isOnnx: false; looksLike: string }

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((byte, i) => bytes[at + i] === byte)
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)))
}

function describeZip(bytes: Uint8Array): string {
  const head = ascii(bytes, 0, 4096)
  if (head.includes('data.pkl') || head.includes('/version')) {
    return 'a PyTorch checkpoint (.pt/.pth zip archive); export it with torch.onnx.export first'
  }
  return 'a zip archive'
}

function isMostlyText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512)
  const printable = sample.filter((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127))
  return printable.length >= sample.length * 0.95
}

const SIGNATURES: readonly { prefix: number[]; at?: number; name: string }[] = [
  { prefix: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
  { prefix: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
  { prefix: [0x1f, 0x8b], name: 'a gzip archive' },
  { prefix: [0x89, 0x48, 0x44, 0x46], name: 'an HDF5 file (a Keras .h5 model?)' },
  { prefix: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], name: 'a NumPy .npy array' },
  { prefix: [0x54, 0x46, 0x4c, 0x33], at: 4, name: 'a TensorFlow Lite model' },
  { prefix: [0x80], name: 'a Python pickle (a legacy torch.save checkpoint?)' },
]

function textKind(start: string): string {
  if (start.startsWith('{') || start.startsWith('[')) return ' (JSON?)'
  if (start.startsWith('<')) return ' (HTML or XML?)'
  return ''
}

function describeNonOnnx(bytes: Uint8Array): string {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return describeZip(bytes)
  const signature = SIGNATURES.find((s) => startsWith(bytes, s.prefix, s.at ?? 0))
  if (signature) return signature.name
  // Never quotes the text: the file may be anything the user can read (a key, a password file).
  if (isMostlyText(bytes)) return `a text file${textKind(ascii(bytes, 0, 60).trimStart())}`
  return 'binary data that is not an ONNX ModelProto'
}

function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } | null {
  let value = 0
  for (let shift = 0, i = at; i < bytes.length && shift < 64; shift += 7, i++) {
    const byte = bytes[i] ?? 0
    value += (byte & 0x7f) * 2 ** shift
    if ((byte & 0x80) === 0) return { value, next: i + 1 }
  }
  return null
}

/** Walks the first few top-level fields; a file cut short after them is the decoder's business. */
function hasModelProtoFields(bytes: Uint8Array): boolean {
  let at = 0
  for (let field = 0; field < FIELDS_TO_CHECK && at < bytes.length; field++) {
    const tag = readVarint(bytes, at)
    if (!tag) return field > 0
    const fieldNumber = Math.floor(tag.value / 8)
    if (MODEL_PROTO_FIELDS.get(fieldNumber) !== tag.value % 8) return false
    const value = readVarint(bytes, tag.next)
    if (!value) return field > 0
    at = tag.value % 8 === WIRE_VARINT ? value.next : value.next + value.value
  }
  return true
}

/** Decides from the first bytes whether a file can be an ONNX model, and if not what it looks like. */
export function sniffModelBytes(bytes: Uint8Array): SniffResult {
  if (bytes.byteLength === 0) return { isOnnx: false, looksLike: 'an empty file (0 bytes)' }
  // Every exporter writes ir_version (tag 0x08, a control character) first; text that happens
  // to start with a valid tag byte ('"', ':', 'B'...) would otherwise pass the field walk.
  const textWithoutIrVersion = bytes[0] !== 0x08 && isMostlyText(bytes)
  if (!textWithoutIrVersion && hasModelProtoFields(bytes)) return { isOnnx: true }
  return { isOnnx: false, looksLike: describeNonOnnx(bytes) }
}
