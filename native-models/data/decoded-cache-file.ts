// The on-disk form of the decoded-image cache: a selection's images after resize and crop, as the
// corruptions receive them. Layout: 8-byte magic, uint32 LE header length, JSON header, zero
// padding to a multiple of 64, then [size, h, w, 3] uint8 RGB and [size] int32 LE labels.
import { cachePreamble, createCacheFileWriter, readCacheBytes } from './cache-file.ts'
import type { CacheFileWriter } from './cache-file.ts'

const MAGIC = 'RNWBDC01'

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

const preamble = (header: DecodedCacheHeader): Uint8Array =>
  cachePreamble(MAGIC, encodeHeader(header))

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
  const bytes = await readCacheBytes(path)
  if (bytes === null || bytes.length !== decodedCacheFileBytes(expected)) return null
  const head = preamble(expected)
  if (!bytes.subarray(0, head.length).equals(head)) return null
  // A plain Uint8Array: views of a Buffer are Buffers, whose slice() would not copy.
  return new Uint8Array(bytes.buffer, bytes.byteOffset + head.length, imageBytes(expected))
}

export type DecodedCacheWriter = CacheFileWriter

export function createDecodedCacheWriter(
  path: string,
  header: DecodedCacheHeader,
): Promise<DecodedCacheWriter> {
  return createCacheFileWriter(path, preamble(header))
}
