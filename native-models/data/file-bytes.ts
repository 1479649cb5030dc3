import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { readRegularFile } from '../files/regular-file.ts'
import { DatasetError, reason } from './errors.ts'

const gunzipAsync = promisify(gunzip)

// Image and label arrays compress about 2× (Fashion-MNIST: 1.8×). A file that expands much more
// is damaged or a decompression bomb: refused before it can take gigabytes of memory.
const MAX_EXPANSION = 50
const ALWAYS_ALLOWED_BYTES = 64 * 2 ** 20

function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`
}

function isTooLarge(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
}

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
  const maxOutputLength = Math.max(ALWAYS_ALLOWED_BYTES, stored.length * MAX_EXPANSION)
  try {
    const bytes = await gunzipAsync(stored, { maxOutputLength })
    return { path, bytes, sha256: sha256Hex(bytes) }
  } catch (cause) {
    if (isTooLarge(cause)) {
      throw new DatasetError(
        'DATASET_MALFORMED',
        `'${basename(path)}' expands from ${mebibytes(stored.length)} to more than ${mebibytes(maxOutputLength)}, far more than image data does, so it was not read: it is damaged, or if it really holds that much, decompress it with gunzip and point the dataset at the uncompressed file.`,
        { cause },
      )
    }
    throw new DatasetError(
      'DATASET_MALFORMED',
      `'${basename(path)}' is not a complete gzip file (${reason(cause)}): download it again.`,
      { cause },
    )
  }
}
