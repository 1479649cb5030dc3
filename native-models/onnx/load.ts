import { createHash } from 'node:crypto'
import { NotRegularFileError, openRegularFile, readRegularFile } from '../files/regular-file.ts'
import path from 'node:path'
import { ModelError } from './errors.ts'
import { loadExternalData } from './external-data.ts'
import { decodeModelProto } from './proto.ts'
import type { ModelProto, TensorProto } from './proto.ts'
import { sniffModelBytes } from './sniff.ts'
import { tensorToFloat32 } from './tensor-data.ts'

const SNIFF_BYTES = 4096

/** A decoded model with everything needed to analyse it: no further disk access. */
export interface LoadedModel {
  fileName: string
  /** The folder external-data locations are relative to; null when loaded from bytes alone. */
  directory: string | null
  model: ModelProto
  /** The model file as read (external data not included): what `model` was decoded from. */
  bytes: Uint8Array
  /** sha256 over the model file followed by its external-data files in name order. */
  sha256: string
  /** Bytes of the model file plus its external-data files. */
  sizeBytes: number
  /** External-data files in name order, relative to `directory`. */
  externalDataFiles: string[]
  /** Payload of every EXTERNAL initializer, by tensor name. */
  externalTensors: ReadonlyMap<string, Uint8Array>
}

export interface LoadFromBytesOptions {
  fileName: string
  directory?: string | null
}

function describeReadError(error: unknown, filePath: string): ModelError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EISDIR' || (error instanceof NotRegularFileError && error.isFolder)) {
    return new ModelError('NOT_ONNX', `${filePath} is a folder, not an ONNX file.`, {
      cause: error,
    })
  }
  if (error instanceof NotRegularFileError)
    return new ModelError('NOT_ONNX', `${error.message} Open the .onnx file itself.`, {
      cause: error,
    })
  return new ModelError('NOT_FOUND', `${filePath} could not be opened (${code ?? 'read error'}).`, {
    cause: error,
  })
}

async function readHead(filePath: string): Promise<Uint8Array> {
  const handle = await openRegularFile(filePath)
  try {
    const head = new Uint8Array(SNIFF_BYTES)
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0)
    return head.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

function assertLooksLikeOnnx(head: Uint8Array, fileName: string): void {
  const sniff = sniffModelBytes(head)
  if (!sniff.isOnnx) {
    throw new ModelError(
      'NOT_ONNX',
      `${fileName} is not an ONNX model: it looks like ${sniff.looksLike}.`,
    )
  }
}

function decode(bytes: Uint8Array, fileName: string): ModelProto {
  let model: ModelProto
  try {
    model = decodeModelProto(bytes)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ModelError(
      'TRUNCATED',
      `${fileName} ends early or is corrupt (${reason}); copy or export it again.`,
      { cause: error },
    )
  }
  if (!model.graph || (model.graph.node ?? []).length === 0) {
    throw new ModelError('EMPTY_GRAPH', `${fileName} decodes as ONNX but holds no graph nodes.`)
  }
  return model
}

function sha256Of(parts: readonly Uint8Array[]): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest('hex')
}

/** Decodes model bytes (sniffed first) and reads external data relative to `directory`. */
export async function loadModelFromBytes(
  bytes: Uint8Array,
  options: LoadFromBytesOptions,
): Promise<LoadedModel> {
  assertLooksLikeOnnx(bytes.subarray(0, SNIFF_BYTES), options.fileName)
  const model = decode(bytes, options.fileName)
  const directory = options.directory ?? null
  const external = await loadExternalData(model.graph, directory, options.fileName)
  const parts = [bytes, ...external.fileBytes]
  return {
    fileName: options.fileName,
    directory,
    model,
    bytes,
    sha256: sha256Of(parts),
    sizeBytes: parts.reduce((sum, part) => sum + part.byteLength, 0),
    externalDataFiles: external.files,
    externalTensors: external.tensors,
  }
}

/** Reads, sniffs and decodes an ONNX file and its external data. */
export async function loadModel(filePath: string): Promise<LoadedModel> {
  const fileName = path.basename(filePath)
  let bytes: Uint8Array
  try {
    assertLooksLikeOnnx(await readHead(filePath), fileName)
    bytes = await readRegularFile(filePath)
  } catch (error) {
    throw error instanceof ModelError ? error : describeReadError(error, filePath)
  }
  return loadModelFromBytes(bytes, { fileName, directory: path.dirname(path.resolve(filePath)) })
}

/** The initializer called `name` (no Identity resolution), or undefined. */
export function findInitializer(loaded: LoadedModel, name: string): TensorProto | undefined {
  return (loaded.model.graph?.initializer ?? []).find((tensor) => tensor.name === name)
}

/**
 * Any float32 initializer's values (raw_data, float_data or external data) as a fresh
 * Float32Array. Throws for unknown names and non-float32 tensors.
 */
export function readInitializerFloat32(loaded: LoadedModel, name: string): Float32Array {
  const tensor = findInitializer(loaded, name)
  if (!tensor) throw new RangeError(`${loaded.fileName} has no initializer '${name}'.`)
  return tensorToFloat32(tensor, (t) => loaded.externalTensors.get(t.name ?? ''))
}
