import { InferenceSession, Tensor } from 'onnxruntime-node'
import { RuntimeError } from './errors.ts'
import { toOrtProviders } from './providers.ts'
import type { ExecutionProviderName } from './providers.ts'

export interface SessionOptions {
  /** Threads per operator; tests use 1 so parallel test files don't oversubscribe the cores. */
  intraOpNumThreads?: number
  executionProviders?: readonly ExecutionProviderName[]
  /**
   * Where `<file>.data` lives when the model comes as bytes: ORT resolves external data against
   * the model's path, and bytes have none (T14). Ignored for paths (ORT uses the model's folder).
   */
  externalDataFolder?: string
}

export type FeedData = Float32Array | BigInt64Array | Int32Array | Uint8Array

export interface FeedTensor {
  data: FeedData
  dims: readonly number[]
}

export interface OutputTensor {
  data: Float32Array
  dims: number[]
}

export interface RuntimeSession {
  readonly inputNames: readonly string[]
  readonly outputNames: readonly string[]
  /** Runs once; returns the requested outputs (all by default) as float32. */
  run(
    feeds: Record<string, FeedTensor>,
    outputNames?: readonly string[],
  ): Promise<Record<string, OutputTensor>>
  release(): Promise<void>
}

const TENSOR_TYPES = new Map<FeedData['constructor'], 'float32' | 'int64' | 'int32' | 'uint8'>([
  [Float32Array, 'float32'],
  [BigInt64Array, 'int64'],
  [Int32Array, 'int32'],
  [Uint8Array, 'uint8'],
])

/** Opens a model from a file path or from bytes (e.g. a model edited by surgery). */
export async function createSession(
  model: string | Uint8Array,
  options: SessionOptions = {},
): Promise<RuntimeSession> {
  const ortOptions = toOrtOptions(options)
  try {
    const session =
      typeof model === 'string'
        ? await InferenceSession.create(model, ortOptions)
        : await InferenceSession.create(model, ortOptions)
    return wrapSession(session)
  } catch (error) {
    throw sessionCreationError(error)
  }
}

function toOrtOptions(options: SessionOptions): InferenceSession.SessionOptions {
  const ortOptions: InferenceSession.SessionOptions = {
    executionProviders: toOrtProviders(options.executionProviders ?? ['cpu']),
  }
  if (options.intraOpNumThreads !== undefined) {
    ortOptions.intraOpNumThreads = options.intraOpNumThreads
  }
  if (options.externalDataFolder !== undefined) {
    const session = { model_external_initializers_file_folder_path: options.externalDataFolder }
    ortOptions.extra = { session }
  }
  return ortOptions
}

function sessionCreationError(error: unknown): RuntimeError {
  const message = error instanceof Error ? error.message : String(error)
  const missingData = /external|\.data\b/i.test(message) && /exist|open|find|read/i.test(message)
  const code = missingData ? 'EXTERNAL_DATA_MISSING' : 'INTERNAL'
  return new RuntimeError(code, `ONNX Runtime could not create a session: ${message}`, {
    cause: error,
  })
}

function wrapSession(session: InferenceSession): RuntimeSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    run: async (feeds, outputNames) => {
      const ortFeeds = Object.fromEntries(
        Object.entries(feeds).map(([name, feed]) => [name, toOrtTensor(name, feed)]),
      )
      const results = await session.run(ortFeeds, [...(outputNames ?? session.outputNames)])
      return Object.fromEntries(
        Object.entries(results).map(([name, tensor]) => [name, toOutput(name, tensor)]),
      )
    },
    release: () => session.release(),
  }
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
