// The on-disk form of the decoded-image cache: a selection's images after resize and crop, as the
// corruptions receive them. Layout: 8-byte magic, uint32 LE header length, JSON header, zero
// padding to a multiple of 64, then [size, h, w, 3] uint8 RGB and [size] int32 LE labels.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

const MAGIC = 'RNWBDC01'
const DATA_ALIGNMENT = 64

export interface DecodedCacheHeader {
  /** Identifies dataset fingerprint, selection and geometry (decodedCacheKey). */
  key: string
  size: number
  /** [h, w, 3]: one image after resize and crop. */
  itemDims: [number, number, number]
}

function encodeHeader({ key, size, itemDims }: DecodedCacheHeader): Uint8Array {
  const json = JSON.stringify({ key, size, itemDims, layout: 'NHWC uint8 RGB + int32 labels' })
  return new TextEncoder().encode(json)
}

function preamble(header: DecodedCacheHeader): Uint8Array {
  const json = encodeHeader(header)
  const length = MAGIC.length + 4 + json.length
  const bytes = new Uint8Array(Math.ceil(length / DATA_ALIGNMENT) * DATA_ALIGNMENT)
  bytes.set(new TextEncoder().encode(MAGIC), 0)
  new DataView(bytes.buffer).setUint32(MAGIC.length, json.length, true)
  bytes.set(json, MAGIC.length + 4)
  return bytes
}

const imageBytes = (header: DecodedCacheHeader): number =>
  header.size * header.itemDims.reduce((a, b) => a * b, 1)

/** Bytes of a cache file holding `header.size` images. */
export function decodedCacheFileBytes(header: DecodedCacheHeader): number {
  return preamble(header).length + imageBytes(header) + header.size * 4
}

/**
 * The images of a cache file, [size, h, w, 3] uint8; null when it is absent, another key or
 * shape, or cut short (a cache that does not match is rebuilt, never trusted).
 */
export async function readDecodedCacheFile(
  path: string,
  expected: DecodedCacheHeader,
): Promise<Uint8Array | null> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null
    throw error
  })
  if (bytes === null || bytes.length !== decodedCacheFileBytes(expected)) return null
  const head = preamble(expected)
  if (!bytes.subarray(0, head.length).equals(head)) return null
  // A plain Uint8Array: views of a Buffer are Buffers, whose slice() would not copy.
  return new Uint8Array(bytes.buffer, bytes.byteOffset + head.length, imageBytes(expected))
}

/** Appends images in order to a temporary file and renames it into place when complete. */
export interface DecodedCacheWriter {
  append(images: Uint8Array): Promise<void>
  /** Writes the labels and renames the file into place; a reader never sees a partial file. */
  finish(labels: Int32Array): Promise<void>
  /** Removes the temporary file. */
  abort(): Promise<void>
}

export async function createDecodedCacheWriter(
  path: string,
  header: DecodedCacheHeader,
): Promise<DecodedCacheWriter> {
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  const file = await open(temporary, 'w')
  let isClosed = false
  const close = async (): Promise<void> => {
    if (isClosed) return
    isClosed = true
    await file.close()
  }
  await file.write(preamble(header))
  return {
    append: async (images) => {
      await file.write(images)
    },
    finish: async (labels) => {
      await file.write(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength))
      await close()
      await rename(temporary, path)
    },
    abort: async () => {
      await close()
      await rm(temporary, { force: true })
    },
  }
}
