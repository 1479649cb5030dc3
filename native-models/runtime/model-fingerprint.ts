import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { readModelFile } from './model-source.ts'

export interface IdentifiedModel {
  sha256: string
  read(): Promise<Uint8Array>
}

interface KnownFile {
  mtimeMs: number
  size: number
  sha256: string
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * sha256 of model files, remembered per (path, mtime, size): hashing a ResNet50 file costs
 * ~0.3 s, which a session-cache hit should not pay every time a job starts.
 */
export class ModelFingerprints {
  readonly #known = new Map<string, KnownFile>()

  async identify(model: string | Uint8Array): Promise<IdentifiedModel> {
    if (typeof model !== 'string')
      return { sha256: sha256Hex(model), read: () => Promise.resolve(model) }
    const { mtimeMs, size } = await stat(model).catch(() => ({ mtimeMs: -1, size: -1 }))
    const known = this.#known.get(model)
    if (known !== undefined && known.mtimeMs === mtimeMs && known.size === size) {
      return { sha256: known.sha256, read: () => readModelFile(model) }
    }
    const bytes = await readModelFile(model)
    const sha256 = sha256Hex(bytes)
    this.#known.set(model, { mtimeMs, size, sha256 })
    return { sha256, read: () => Promise.resolve(bytes) }
  }
}
