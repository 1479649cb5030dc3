import { Tensor } from 'onnxruntime-node'
import { RuntimeError } from './errors.ts'

export type FeedData = Float32Array | BigInt64Array | Int32Array | Uint8Array

export interface FeedTensor {
  data: FeedData
  dims: readonly number[]
}

export interface OutputTensor {
  data: Float32Array
  dims: number[]
}

const TENSOR_TYPES = new Map<FeedData['constructor'], 'float32' | 'int64' | 'int32' | 'uint8'>([
  [Float32Array, 'float32'],
  [BigInt64Array, 'int64'],
  [Int32Array, 'int32'],
  [Uint8Array, 'uint8'],
])

export function toOrtFeeds(feeds: Record<string, FeedTensor>): Record<string, Tensor> {
  return Object.fromEntries(
    Object.entries(feeds).map(([name, feed]) => [name, toOrtTensor(name, feed)]),
  )
}

export function fromOrtOutputs(
  results: Record<string, Tensor | undefined>,
): Record<string, OutputTensor> {
  const outputs: Record<string, OutputTensor> = {}
  for (const [name, tensor] of Object.entries(results)) {
    if (tensor !== undefined) outputs[name] = toOutput(name, tensor)
  }
  return outputs
}

function toOrtTensor(name: string, feed: FeedTensor): Tensor {
  const type = TENSOR_TYPES.get(feed.data.constructor)
  if (type === undefined) {
    throw new RuntimeError('UNSUPPORTED_DTYPE', `Input '${name}' has an unsupported array type.`)
  }
  return new Tensor(type, feed.data, [...feed.dims])
}

function toOutput(name: string, tensor: Tensor): OutputTensor {
  if (tensor.type !== 'float32') {
    throw new RuntimeError(
      'UNSUPPORTED_DTYPE',
      `Output '${name}' is ${tensor.type}; the runtime returns float32 outputs only.`,
    )
  }
  return { data: tensor.data as Float32Array, dims: [...tensor.dims] }
}
