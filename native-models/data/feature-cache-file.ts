// The on-disk form of the feature cache: one file per (checkpoint, dataset selection,
// preprocessing, corruption cell, layer and pooling). Layout as the tensor cache: 8-byte magic,
// uint32 LE header length, JSON header, zero padding to a multiple of 64, then [size, dim] float32
// features and [size] int32 labels.
import {
  alignedView,
  cacheHeaderMatches,
  cachePreamble,
  createCacheFileWriter,
  readCacheBytes,
} from './cache-file.ts'
import type { CacheFileWriter } from './cache-file.ts'

const MAGIC = 'RNWBFT01'

export interface FeatureCacheHeader {
  /** sha256 of model, selection, preprocessing, corruption cell, layer and pooling. */
  key: string
  size: number
  dim: number
}

export interface CachedFeatures {
  /** [size, dim] float32, in the selection's order. */
  features: Float32Array
  labels: Int32Array
  size: number
  dim: number
}

function encodeHeader({ key, size, dim }: FeatureCacheHeader): Uint8Array {
  const json = JSON.stringify({ key, size, dim, layout: '[size, dim] float32 + int32 labels' })
  return new TextEncoder().encode(json)
}

const preamble = (header: FeatureCacheHeader): Uint8Array =>
  cachePreamble(MAGIC, encodeHeader(header))

export function featureCacheFileBytes(header: FeatureCacheHeader): number {
  return preamble(header).length + header.size * (header.dim + 1) * 4
}

function storedDim(bytes: Uint8Array): number | null {
  if (bytes.length < MAGIC.length + 4) return null
  if (new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) return null
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true)
  const json = bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + length)
  try {
    const header = JSON.parse(new TextDecoder().decode(json)) as { dim?: unknown }
    return Number.isSafeInteger(header.dim) ? (header.dim as number) : null
  } catch {
    return null
  }
}

/**
 * The cached features, or null when the file is absent, of another key or size, or cut short:
 * a cache that does not match is computed again, never trusted.
 */
export async function readFeatureCacheFile(
  path: string,
  expected: Omit<FeatureCacheHeader, 'dim'>,
): Promise<CachedFeatures | null> {
  const bytes = await readCacheBytes(path)
  const dim = bytes === null ? null : storedDim(bytes)
  if (bytes === null || dim === null) return null
  const header = { ...expected, dim }
  if (!cacheHeaderMatches(bytes, MAGIC, encodeHeader(header))) return null
  if (bytes.length !== featureCacheFileBytes(header)) return null
  const offset = preamble(header).length
  const count = header.size * dim
  return {
    features: alignedView(bytes, offset, count, Float32Array),
    labels: alignedView(bytes, offset + count * 4, header.size, Int32Array),
    size: header.size,
    dim,
  }
}

export function createFeatureCacheWriter(
  path: string,
  header: FeatureCacheHeader,
): Promise<CacheFileWriter> {
  return createCacheFileWriter(path, preamble(header))
}
