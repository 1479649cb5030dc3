// What the two on-disk caches (preprocessed tensors, decoded images) share: a 64-byte-aligned
// preamble (8-byte magic, uint32 LE header length, JSON header), a read that treats a missing
// file as a miss, and a writer that renames a complete temporary file into place.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

const DATA_ALIGNMENT = 64

/** Magic, header length and JSON header, zero-padded so the data starts 64-byte aligned. */
export function cachePreamble(magic: string, headerJson: Uint8Array): Uint8Array {
  const unpadded = magic.length + 4 + headerJson.length
  const bytes = new Uint8Array(Math.ceil(unpadded / DATA_ALIGNMENT) * DATA_ALIGNMENT)
  bytes.set(new TextEncoder().encode(magic), 0)
  new DataView(bytes.buffer).setUint32(magic.length, headerJson.length, true)
  bytes.set(headerJson, magic.length + 4)
  return bytes
}

/** Whether a cache file starts with this magic and exactly this JSON header. */
export function cacheHeaderMatches(bytes: Uint8Array, magic: string, headerJson: Uint8Array) {
  const decoder = new TextDecoder()
  if (bytes.length < magic.length + 4) return false
  if (decoder.decode(bytes.subarray(0, magic.length)) !== magic) return false
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(magic.length, true)
  const json = decoder.decode(bytes.subarray(magic.length + 4, magic.length + 4 + length))
  return json === decoder.decode(headerJson)
}

/** `length` values at a byte offset of a file's bytes: a view when aligned, else a copy. */
export function alignedView<T extends Float32Array | Int32Array>(
  bytes: Uint8Array,
  offset: number,
  length: number,
  Kind: { new (buffer: ArrayBufferLike, offset: number, length: number): T; new (n: number): T },
): T {
  const start = bytes.byteOffset + offset
  if (start % 4 === 0) return new Kind(bytes.buffer, start, length)
  const copy = new Kind(length)
  new Uint8Array(copy.buffer).set(bytes.subarray(offset, offset + length * 4))
  return copy
}

/** A cache file's bytes; null when there is none (a miss, not an error). */
export function readCacheBytes(path: string): Promise<Buffer | null> {
  return readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null
    throw error
  })
}

/** Appends data in order to a temporary file and renames it into place when complete. */
export interface CacheFileWriter {
  append(data: ArrayBufferView): Promise<void>
  /** Writes the labels and renames the file into place; a reader never sees a partial file. */
  finish(labels: Int32Array): Promise<void>
  /** Removes the temporary file. */
  abort(): Promise<void>
}

const bytesOf = (data: ArrayBufferView): Uint8Array =>
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength)

export async function createCacheFileWriter(
  path: string,
  preamble: Uint8Array,
): Promise<CacheFileWriter> {
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  const file = await open(temporary, 'w')
  let isClosed = false
  const close = async (): Promise<void> => {
    if (isClosed) return
    isClosed = true
    await file.close()
  }
  await file.write(preamble)
  return {
    append: async (data) => {
      await file.write(bytesOf(data))
    },
    finish: async (labels) => {
      await file.write(bytesOf(labels))
      await close()
      await rename(temporary, path)
    },
    abort: async () => {
      await close()
      await rm(temporary, { force: true })
    },
  }
}
