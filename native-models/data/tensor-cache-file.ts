// The on-disk form of a preprocessed-tensor cache: one file per dataset selection × preprocessing.
// Layout: 8-byte magic, uint32 LE header length, JSON header, zero padding to a multiple of 64,
// then [size, C, H, W] float32 images and [size] int32 labels (little-endian, as every platform
// Node and ORT ship for).
import {
  alignedView,
  cacheHeaderMatches,
  cachePreamble,
  createCacheFileWriter,
  readCacheBytes,
} from './cache-file.ts'
import type { CacheFileWriter } from './cache-file.ts'
import type { PreprocessedTensors } from './tensor-cache.ts'

const MAGIC = 'RNWBTC01'

export interface TensorCacheHeader {
  /** Identifies dataset fingerprint, selection and preprocessing (tensorCacheKey). */
  key: string
  size: number
  itemDims: [number, number, number]
}

export function itemLength(itemDims: readonly number[]): number {
  return itemDims.reduce((a, b) => a * b, 1)
}

/** Bytes of a cache file holding `header.size` images. */
export function tensorCacheFileBytes(header: TensorCacheHeader): number {
  return preamble(header).length + header.size * (itemLength(header.itemDims) + 1) * 4
}

/** Where the float32 images start (the labels follow them). */
export function tensorCacheDataOffset(header: TensorCacheHeader): number {
  return preamble(header).length
}

function encodeHeader(header: TensorCacheHeader): Uint8Array {
  const { key, size, itemDims } = header
  const json = JSON.stringify({ key, size, itemDims, layout: 'NCHW float32 + int32 labels' })
  return new TextEncoder().encode(json)
}

const preamble = (header: TensorCacheHeader): Uint8Array =>
  cachePreamble(MAGIC, encodeHeader(header))

/**
 * Reads a cache file in one piece; null when it is absent, another key, another shape or cut
 * short (a cache that does not match is rebuilt, never trusted).
 */
export async function readTensorCacheFile(
  path: string,
  expected: TensorCacheHeader,
): Promise<PreprocessedTensors | null> {
  const bytes = await readCacheBytes(path)
  if (bytes === null || !matchesHeader(bytes, expected)) return null
  if (bytes.length !== tensorCacheFileBytes(expected)) return null
  const offset = tensorCacheDataOffset(expected)
  const imageCount = expected.size * itemLength(expected.itemDims)
  return {
    images: alignedView(bytes, offset, imageCount, Float32Array),
    labels: alignedView(bytes, offset + imageCount * 4, expected.size, Int32Array),
    itemDims: [...expected.itemDims],
    size: expected.size,
  }
}

function matchesHeader(bytes: Uint8Array, expected: TensorCacheHeader): boolean {
  return cacheHeaderMatches(bytes, MAGIC, encodeHeader(expected))
}

export type TensorCacheWriter = CacheFileWriter

export function createTensorCacheWriter(
  path: string,
  header: TensorCacheHeader,
): Promise<TensorCacheWriter> {
  return createCacheFileWriter(path, preamble(header))
}
