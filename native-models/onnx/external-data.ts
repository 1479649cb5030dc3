import { realpath } from 'node:fs/promises'
import { readRegularFile } from '../files/regular-file.ts'
import path from 'node:path'
import { ModelError } from './errors.ts'
import { DataType } from './proto.ts'
import type { GraphProto, TensorProto } from './proto.ts'
import { elementCount } from './tensor-data.ts'

const EXTERNAL = 1

const BYTES_PER_ELEMENT: Record<number, number> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.FLOAT16]: 2,
  [DataType.DOUBLE]: 8,
  [DataType.BFLOAT16]: 2,
}

export interface ExternalTensorData {
  /** Data files in name order, relative to the model's folder. */
  files: string[]
  /** Each external file's full contents, in the order of `files`. */
  fileBytes: Uint8Array[]
  /** Payload of every EXTERNAL initializer, by tensor name (views into `fileBytes`). */
  tensors: Map<string, Uint8Array>
}

interface ExternalLocation {
  location: string
  offset: number
  length: number
}

export function isExternal(tensor: TensorProto): boolean {
  return tensor.dataLocation === EXTERNAL
}

function locationOf(tensor: TensorProto, modelName: string): ExternalLocation {
  const entries = new Map((tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']))
  const location = entries.get('location') ?? ''
  if (!location) {
    throw new ModelError(
      'EXTERNAL_DATA_MISSING',
      `Tensor '${tensor.name}' in ${modelName} is stored externally but names no data file.`,
    )
  }
  const byteSize = elementCount(tensor.dims) * (BYTES_PER_ELEMENT[tensor.dataType ?? 0] ?? 1)
  const length = Number(entries.get('length') ?? byteSize)
  return { location, offset: Number(entries.get('offset') ?? 0), length }
}

function assertInsideFolder(folder: string, location: string, modelName: string): string {
  const resolved = path.resolve(folder, location)
  if (path.isAbsolute(location) || path.relative(folder, resolved).startsWith('..')) {
    throw new ModelError(
      'EXTERNAL_DATA_MISSING',
      `External data '${location}' of ${modelName} points outside the model's folder; keep the data file beside the model.`,
    )
  }
  return resolved
}

async function readDataFile(
  folder: string,
  location: string,
  modelName: string,
): Promise<Uint8Array> {
  const file = assertInsideFolder(folder, location, modelName)
  try {
    // The file itself, symlinks followed, must stay beside the model too.
    const [realFolder, realFile] = await Promise.all([realpath(folder), realpath(file)])
    assertInsideFolder(realFolder, path.relative(realFolder, realFile), modelName)
    return await readRegularFile(realFile)
  } catch (error) {
    if (error instanceof ModelError) throw error
    throw new ModelError(
      'EXTERNAL_DATA_MISSING',
      `External data file '${location}' of ${modelName} could not be read; copy it beside the model.`,
      { cause: error },
    )
  }
}

function externalInitializers(graph: GraphProto | undefined): TensorProto[] {
  return (graph?.initializer ?? []).filter(isExternal)
}

/** Reads the data files of a model's EXTERNAL initializers (relative to `folder`). */
export async function loadExternalData(
  graph: GraphProto | undefined,
  folder: string | null,
  modelName: string,
): Promise<ExternalTensorData> {
  const external = externalInitializers(graph)
  const locations = external.map((tensor) => locationOf(tensor, modelName))
  const files = [...new Set(locations.map((l) => l.location))].sort()
  if (files.length > 0 && folder === null) {
    throw new ModelError(
      'EXTERNAL_DATA_MISSING',
      `${modelName} keeps its weights in ${files.join(', ')}, but it was opened without its folder; open the file from disk.`,
    )
  }
  const fileBytes = await Promise.all(files.map((f) => readDataFile(folder ?? '', f, modelName)))
  const byFile = new Map(files.map((f, i) => [f, fileBytes[i] ?? new Uint8Array()]))
  const tensors = new Map<string, Uint8Array>()
  external.forEach((tensor, i) => {
    const { location, offset, length } = locations[i]
    const bytes = byFile.get(location) ?? new Uint8Array()
    if (offset + length > bytes.byteLength) {
      throw new ModelError(
        'EXTERNAL_DATA_MISSING',
        `External data file '${location}' of ${modelName} is too short for tensor '${tensor.name}' (needs ${offset + length} bytes, has ${bytes.byteLength}); it is incomplete or belongs to another model.`,
      )
    }
    tensors.set(tensor.name ?? '', bytes.subarray(offset, offset + length))
  })
  return { files, fileBytes, tensors }
}
