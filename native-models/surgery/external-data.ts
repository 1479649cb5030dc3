import { readFileSync } from 'node:fs'
import { isAbsolute, join, normalize } from 'node:path'
import { ModelError } from '../onnx/errors.ts'
import type { ModelProto, TensorProto } from '../onnx/proto.ts'

const EXTERNAL = 1

/** onnx.external_data_helper's default: tensors under 1 KB stay inline. */
export const DEFAULT_EXTERNAL_THRESHOLD_BYTES = 1024

export function hasExternalData(model: ModelProto): boolean {
  return (model.graph?.initializer ?? []).some((tensor) => tensor.dataLocation === EXTERNAL)
}

/**
 * Moves every initializer of at least `thresholdBytes` into one blob, referenced by `location`
 * (a file name relative to the model). The given model is not modified.
 */
export function externalizeInitializers(
  model: ModelProto,
  location: string,
  thresholdBytes = DEFAULT_EXTERNAL_THRESHOLD_BYTES,
): { model: ModelProto; data: Uint8Array } {
  const initializers = model.graph?.initializer ?? []
  const moves = (tensor: TensorProto): boolean => (tensor.rawData?.length ?? 0) >= thresholdBytes
  const total = initializers.reduce((sum, t) => sum + (moves(t) ? (t.rawData?.length ?? 0) : 0), 0)
  const data = new Uint8Array(total)
  let offset = 0
  const moved = initializers.map((tensor) => {
    if (!moves(tensor) || tensor.rawData === undefined) return tensor
    data.set(tensor.rawData, offset)
    const reference = externalReference(tensor, location, offset, tensor.rawData.length)
    offset += tensor.rawData.length
    return reference
  })
  return { model: { ...model, graph: { ...model.graph, initializer: moved } }, data }
}

function externalReference(
  tensor: TensorProto,
  location: string,
  offset: number,
  length: number,
): TensorProto {
  const rest: TensorProto = { ...tensor }
  delete rest.rawData
  const externalData = [
    { key: 'location', value: location },
    { key: 'offset', value: String(offset) },
    { key: 'length', value: String(length) },
  ]
  return { ...rest, dataLocation: EXTERNAL, externalData }
}

/**
 * Reads external tensors back into `raw_data`. Needed when a modified model is handed to ORT as
 * bytes: ORT then has no folder to resolve `location` against (T14). The alternative is the
 * runtime's `externalDataFolder` option. The given model is not modified.
 */
export function inlineExternalData(model: ModelProto, folder: string): ModelProto {
  const files = new Map<string, Uint8Array>()
  const initializers = (model.graph?.initializer ?? []).map((tensor) =>
    tensor.dataLocation === EXTERNAL ? inlineTensor(tensor, folder, files) : tensor,
  )
  return { ...model, graph: { ...model.graph, initializer: initializers } }
}

function inlineTensor(
  tensor: TensorProto,
  folder: string,
  files: Map<string, Uint8Array>,
): TensorProto {
  const entries = new Map((tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']))
  const location = entries.get('location') ?? ''
  const file = readDataFile(folder, location, tensor.name ?? '', files)
  const offset = Number(entries.get('offset') ?? '0')
  const length = Number(entries.get('length') ?? String(file.length - offset))
  if (offset + length > file.length) {
    throw new ModelError(
      'TRUNCATED',
      `External data '${location}' ends before tensor '${tensor.name}' (needs ${offset + length} bytes, has ${file.length}).`,
    )
  }
  const rest: TensorProto = { ...tensor }
  delete rest.externalData
  delete rest.dataLocation
  return { ...rest, rawData: file.subarray(offset, offset + length) }
}

function readDataFile(
  folder: string,
  location: string,
  tensorName: string,
  files: Map<string, Uint8Array>,
): Uint8Array {
  const cached = files.get(location)
  if (cached !== undefined) return cached
  if (location === '' || isAbsolute(location) || normalize(location).startsWith('..')) {
    throw new ModelError(
      'EXTERNAL_DATA_MISSING',
      `Tensor '${tensorName}' points outside the model folder ('${location}').`,
    )
  }
  try {
    const buffer = readFileSync(join(folder, location))
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    files.set(location, bytes)
    return bytes
  } catch (error) {
    throw new ModelError(
      'EXTERNAL_DATA_MISSING',
      `External data file '${location}' for tensor '${tensorName}' is missing from ${folder}.`,
      { cause: error },
    )
  }
}
