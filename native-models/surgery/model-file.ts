import { randomUUID } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { encodeModelProto } from '../onnx/proto.ts'
import type { ModelProto } from '../onnx/proto.ts'
import { externalizeInitializers } from './external-data.ts'

export interface WrittenModel {
  path: string
  sizeBytes: number
  /** '<file>.data' beside the model, or null when every tensor is inline. */
  externalDataPath: string | null
  externalDataBytes: number
}

/**
 * Writes a model (and, when asked, its tensors to '<file>.data') through temporary names and
 * renames, so a reader never sees a half-written file. The data file is renamed first, so a
 * complete model file always finds its data.
 */
export async function writeModelFile(
  path: string,
  model: ModelProto,
  options: { externalData?: boolean } = {},
): Promise<WrittenModel> {
  if (options.externalData !== true) {
    const bytes = encodeModelProto(model)
    await writeAtomically(path, bytes)
    return { path, sizeBytes: bytes.length, externalDataPath: null, externalDataBytes: 0 }
  }
  const dataPath = `${path}.data`
  const split = externalizeInitializers(model, basename(dataPath))
  await writeAtomically(dataPath, split.data)
  const bytes = encodeModelProto(split.model)
  await writeAtomically(path, bytes)
  return {
    path,
    sizeBytes: bytes.length,
    externalDataPath: dataPath,
    externalDataBytes: split.data.length,
  }
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`
  try {
    await writeFile(temporary, bytes)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
