import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { readRegularFile } from '../files/regular-file.ts'
import { DatasetError, reason } from './errors.ts'

const gunzipAsync = promisify(gunzip)

export interface StoredFile {
  path: string
  /** The contents, gunzipped when the file name ends in '.gz'. */
  bytes: Uint8Array
  /** sha256 of `bytes` (after gunzip: a gzipped and a plain copy hash alike). */
  sha256: string
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

async function readStored(path: string): Promise<Buffer> {
  try {
    return await readRegularFile(path)
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    const dataset = code === 'ENOENT' ? 'NOT_FOUND' : 'DATASET_MALFORMED'
    throw new DatasetError(
      dataset,
      `'${path}' cannot be read (${reason(cause)}): check the dataset path.`,
      { cause },
    )
  }
}

/** Reads a dataset file, gunzipping '.gz' files (node:zlib, off the JS thread). */
export async function readDatasetFile(path: string): Promise<StoredFile> {
  const stored = await readStored(path)
  if (!path.endsWith('.gz')) return { path, bytes: stored, sha256: sha256Hex(stored) }
  try {
    const bytes = await gunzipAsync(stored)
    return { path, bytes, sha256: sha256Hex(bytes) }
  } catch (cause) {
    throw new DatasetError(
      'DATASET_MALFORMED',
      `'${basename(path)}' is not a complete gzip file (${reason(cause)}): download it again.`,
      { cause },
    )
  }
}
