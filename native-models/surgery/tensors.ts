import { DataType } from '../onnx/proto.ts'
import type { TensorProto } from '../onnx/proto.ts'

// Raw data is written in the host's byte order, which ONNX requires to be little-endian:
// every platform the workbench ships for (x64, arm64) is little-endian.

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1)
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
}

export function float32Tensor(
  name: string,
  dims: readonly number[],
  values: Float32Array,
): TensorProto {
  assertLength(name, dims, values.length)
  return { name, dims: [...dims], dataType: DataType.FLOAT, rawData: bytesOf(values) }
}

export function int64Tensor(
  name: string,
  dims: readonly number[],
  values: readonly number[],
): TensorProto {
  assertLength(name, dims, values.length)
  const raw = BigInt64Array.from(values, (value) => BigInt(value))
  return { name, dims: [...dims], dataType: DataType.INT64, rawData: bytesOf(raw) }
}

function assertLength(name: string, dims: readonly number[], length: number): void {
  if (elementCount(dims) !== length) {
    throw new RangeError(`Tensor '${name}' has ${length} values for dims [${dims.join(', ')}].`)
  }
}

/** A fresh, aligned copy (a Node Buffer's slice() would share memory instead). */
function copyBytes(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer
}

/** The tensor's values as float32; copies, because raw data may be unaligned in the decoded buffer. */
export function readFloat32(tensor: TensorProto): Float32Array {
  if (tensor.dataType !== DataType.FLOAT) {
    throw new TypeError(`Tensor '${tensor.name}' is not float32 (data type ${tensor.dataType}).`)
  }
  if (tensor.rawData !== undefined && tensor.rawData.length > 0) {
    return new Float32Array(copyBytes(tensor.rawData))
  }
  return Float32Array.from(tensor.floatData ?? [])
}

export function readInt64(tensor: TensorProto): number[] {
  if (tensor.dataType !== DataType.INT64) {
    throw new TypeError(`Tensor '${tensor.name}' is not int64 (data type ${tensor.dataType}).`)
  }
  if (tensor.rawData !== undefined && tensor.rawData.length > 0) {
    return Array.from(new BigInt64Array(copyBytes(tensor.rawData)), Number)
  }
  return [...(tensor.int64Data ?? [])]
}
