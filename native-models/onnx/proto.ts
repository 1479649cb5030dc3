import protobuf from 'protobufjs'
import descriptor from './onnx-descriptor.json' with { type: 'json' }

// int64 fields (dims, attribute ints, opset versions) decode as plain numbers, never as Long:
// every value in a ResNet graph is far below 2^53.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long
protobuf.configure()

const root = protobuf.Root.fromJSON(descriptor)
const modelType = root.lookupType('onnx.ModelProto')

/** ONNX TensorProto.DataType values used by the workbench. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  BFLOAT16: 16,
} as const

export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const

export interface StringStringEntryProto {
  key?: string
  value?: string
}

export interface TensorProto {
  dims?: number[]
  dataType?: number
  floatData?: number[]
  int32Data?: number[]
  stringData?: Uint8Array[]
  int64Data?: number[]
  name?: string
  docString?: string
  /** A view into the decoded buffer (no copy); little-endian. */
  rawData?: Uint8Array
  externalData?: StringStringEntryProto[]
  /** 0 = DEFAULT, 1 = EXTERNAL */
  dataLocation?: number
  doubleData?: number[]
  uint64Data?: number[]
}

export interface AttributeProto {
  name?: string
  refAttrName?: string
  docString?: string
  type?: number
  f?: number
  i?: number
  s?: Uint8Array
  t?: TensorProto
  g?: GraphProto
  floats?: number[]
  ints?: number[]
  strings?: Uint8Array[]
  tensors?: TensorProto[]
  graphs?: GraphProto[]
}

export interface DimensionProto {
  dimValue?: number
  dimParam?: string
}

export interface TypeProto {
  tensorType?: { elemType?: number; shape?: { dim?: DimensionProto[] } }
}

export interface ValueInfoProto {
  name?: string
  type?: TypeProto
  docString?: string
}

export interface NodeProto {
  input?: string[]
  output?: string[]
  name?: string
  opType?: string
  domain?: string
  attribute?: AttributeProto[]
  docString?: string
}

export interface GraphProto {
  node?: NodeProto[]
  name?: string
  initializer?: TensorProto[]
  docString?: string
  input?: ValueInfoProto[]
  output?: ValueInfoProto[]
  valueInfo?: ValueInfoProto[]
}

export interface OperatorSetIdProto {
  domain?: string
  version?: number
}

export interface ModelProto {
  irVersion?: number
  opsetImport?: OperatorSetIdProto[]
  producerName?: string
  producerVersion?: string
  domain?: string
  modelVersion?: number
  docString?: string
  graph?: GraphProto
  metadataProps?: StringStringEntryProto[]
}

/** Decodes ModelProto bytes; throws protobufjs errors on malformed input (callers wrap them). */
export function decodeModelProto(bytes: Uint8Array): ModelProto {
  return modelType.decode(bytes) as unknown as ModelProto
}

/** Encodes deterministically: fields in proto order, repeated fields in array order. */
export function encodeModelProto(model: ModelProto): Uint8Array {
  return modelType.encode(modelType.fromObject(model)).finish()
}
