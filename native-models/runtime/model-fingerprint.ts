import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { readModelFile } from './model-source.ts'

export interface IdentifiedModel {
  sha256: string
  read(): Promise<Uint8Array>
}

interface KnownFile {
  ino: number
  mtimeMs: number
  size: number
  sha256: string
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * sha256 of model files, remembered per (path, inode, mtime, size): hashing a ResNet50 file costs
 * ~0.3 s, which a session-cache hit should not pay every time a job starts. The inode catches a
 * file replaced by a rename (how exporters and this project write) within one mtime tick.
 */
export class ModelFingerprints {
  readonly #known = new Map<string, KnownFile>()

  async identify(model: string | Uint8Array): Promise<IdentifiedModel> {
    if (typeof model !== 'string')
      return { sha256: sha256Hex(model), read: () => Promise.resolve(model) }
    const { ino, mtimeMs, size } = await stat(model).catch(() => ({
      ino: -1,
      mtimeMs: -1,
      size: -1,
    }))
    const known = this.#known.get(model)
    const isSameFile = known?.ino === ino && known.mtimeMs === mtimeMs && known.size === size
    if (known !== undefined && isSameFile) {
      return { sha256: known.sha256, read: () => readModelFile(model) }
    }
    const bytes = await readModelFile(model)
    const sha256 = sha256Hex(bytes)
    this.#known.set(model, { ino, mtimeMs, size, sha256 })
    return { sha256, read: () => Promise.resolve(bytes) }
  }
}
