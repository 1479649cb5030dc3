import { createHash, randomUUID } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { DbError, toDbError } from './errors.ts'

// Content-addressed store: the blob with sha256 'abcdef…' lives at 'blobs/ab/cdef…'.
const SHA256_HEX = /^[0-9a-f]{64}$/
const BLOB_FILE_NAME = /^[0-9a-f]{62}$/
const SHARD_FOLDER_NAME = /^[0-9a-f]{2}$/
export const TEMP_FILE_PREFIX = '.tmp-'

export interface StoredBlob {
  sha256: string
  sizeBytes: number
}

/** A file in the blob folder: a blob under its real name, or a temp file a writer left behind. */
export interface BlobFolderEntry {
  kind: 'blob' | 'temp'
  path: string
  /** '' for a temp file. */
  sha256: string
  sizeBytes: number
  mtimeMs: number
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code
}

export function blobPath(blobsFolder: string, sha256: string): string {
  if (!SHA256_HEX.test(sha256)) {
    throw new DbError('INVALID_ARGUMENT', `'${sha256}' is not a sha256 blob name (64 hex digits).`)
  }
  return join(blobsFolder, sha256.slice(0, 2), sha256.slice(2))
}

function asBytes(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/** True when the blob exists; its time is refreshed so garbage collection sees it as in use. */
async function touchIfPresent(file: string): Promise<boolean> {
  const now = new Date()
  try {
    await utimes(file, now, now)
    return true
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return false
    throw error
  }
}

async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'wx')
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function moveIntoPlace(temp: string, target: string): Promise<void> {
  try {
    await rename(temp, target)
  } catch (error) {
    // Windows refuses to replace a file another writer just put there: same sha, same bytes.
    if (!(await touchIfPresent(target))) throw error
    await rm(temp, { force: true })
  }
}

/**
 * Stores bytes (any typed array) under their sha256. The bytes go to a temp name first and are
 * renamed into place, so a killed process never leaves a partial blob under a real name.
 * Writing a blob that exists already only refreshes its modification time.
 */
export async function writeBlob(blobsFolder: string, data: ArrayBufferView): Promise<StoredBlob> {
  const bytes = asBytes(data)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const target = blobPath(blobsFolder, sha256)
  const stored = { sha256, sizeBytes: bytes.byteLength }
  const temp = join(dirname(target), `${TEMP_FILE_PREFIX}${randomUUID()}`)
  try {
    if (await touchIfPresent(target)) return stored
    await mkdir(dirname(target), { recursive: true })
    await writeDurably(temp, bytes)
    await moveIntoPlace(temp, target)
    return stored
  } catch (error) {
    await rm(temp, { force: true })
    throw toDbError(error, target)
  }
}

export async function readBlob(blobsFolder: string, sha256: string): Promise<Uint8Array> {
  const file = blobPath(blobsFolder, sha256)
  try {
    return await readFile(file)
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw toDbError(error, file)
    throw new DbError(
      'NOT_FOUND',
      `Blob '${file}' is missing (deleted, or the workspace was copied without its blobs folder): compute the result again.`,
      { cause: error },
    )
  }
}

/** Reads a blob written from a Float32Array (little-endian, as on every supported platform). */
export async function readFloat32Blob(blobsFolder: string, sha256: string): Promise<Float32Array> {
  const bytes = await readBlob(blobsFolder, sha256)
  if (bytes.byteLength % 4 !== 0) {
    throw new DbError(
      'INVALID_ARGUMENT',
      `Blob ${sha256} has ${bytes.byteLength} bytes, not a whole number of float32 values: read it as bytes.`,
    )
  }
  // A Float32Array view needs a 4-byte aligned offset; small reads may come from a shared pool.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice()
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4)
}

async function shardEntries(shard: string): Promise<BlobFolderEntry[]> {
  const entries: BlobFolderEntry[] = []
  for (const name of await readdir(shard)) {
    const isBlob = BLOB_FILE_NAME.test(name)
    if (!isBlob && !name.startsWith(TEMP_FILE_PREFIX)) continue
    const path = join(shard, name)
    const info = await stat(path)
    if (!info.isFile()) continue
    const sha256 = isBlob ? `${shard.slice(-2)}${name}` : ''
    entries.push({
      kind: isBlob ? 'blob' : 'temp',
      path,
      sha256,
      sizeBytes: info.size,
      mtimeMs: info.mtimeMs,
    })
  }
  return entries
}

/** Every blob and leftover temp file under the blob folder (other files are not ours: skipped). */
export async function listBlobFolder(blobsFolder: string): Promise<BlobFolderEntry[]> {
  let shards: string[]
  try {
    shards = (await readdir(blobsFolder)).filter((name) => SHARD_FOLDER_NAME.test(name))
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return []
    throw error
  }
  const entries = await Promise.all(
    shards.sort().map((name) => shardEntries(join(blobsFolder, name))),
  )
  return entries.flat()
}
