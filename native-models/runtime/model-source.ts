import { readRegularFile } from '../files/regular-file.ts'
import { dirname } from 'node:path'
import { encodeModelProto } from '../onnx/proto.ts'
import type { ModelProto } from '../onnx/proto.ts'
import { RuntimeError } from './errors.ts'
import { guardModelBytes, stripTrailingEmptyOutputs } from './model-guard.ts'

/** A model file, its encoded bytes, or a decoded (e.g. surgically edited) model. */
export type ModelSource = string | Uint8Array | ModelProto

export interface PreparedModel {
  bytes: Uint8Array
  /** Where ORT resolves `<file>.data`: the model's folder for a path, else as given. */
  externalDataFolder: string | undefined
}

/** Bytes ready for ORT, with the empty-output guard applied whatever form the model came in. */
export async function prepareModel(
  model: ModelSource,
  externalDataFolder?: string,
): Promise<PreparedModel> {
  if (typeof model === 'string') {
    const bytes = await readModelFile(model)
    return {
      bytes: guardModelBytes(bytes),
      externalDataFolder: externalDataFolder ?? dirname(model),
    }
  }
  if (model instanceof Uint8Array) return { bytes: guardModelBytes(model), externalDataFolder }
  return { bytes: encodeModelProto(stripTrailingEmptyOutputs(model).model), externalDataFolder }
}

export async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(path)
  } catch (cause) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `Cannot read model file '${path}' (${(cause as NodeJS.ErrnoException).code ?? String(cause)}).`,
      { cause },
    )
  }
}
