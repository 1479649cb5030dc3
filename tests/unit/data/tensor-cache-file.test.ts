import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createTensorCacheWriter,
  readTensorCacheFile,
  tensorCacheFileBytes,
} from '../../../native-models/data/tensor-cache-file.ts'
import type { TensorCacheHeader } from '../../../native-models/data/tensor-cache-file.ts'

const HEADER: TensorCacheHeader = { key: 'a'.repeat(64), size: 3, itemDims: [3, 2, 2] }
const IMAGES = Float32Array.from({ length: 36 }, (_, i) => i / 7 - 2)
const LABELS = Int32Array.of(2, 0, 1)

let folder = ''
let path = ''
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tensor-cache-file-'))
  path = join(folder, 'nested', 'x.tensors')
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function writeInTwoBatches(): Promise<void> {
  const writer = await createTensorCacheWriter(path, HEADER)
  await writer.append(IMAGES.subarray(0, 24))
  await writer.append(IMAGES.subarray(24))
  await writer.finish(LABELS)
}

describe('tensor cache files', () => {
  it('read back the images and labels written batch by batch, bit for bit', async () => {
    await writeInTwoBatches()
    const tensors = await readTensorCacheFile(path, HEADER)
    expect(tensors).not.toBeNull()
    expect(Array.from(tensors!.images)).toEqual(Array.from(IMAGES))
    expect(Array.from(tensors!.labels)).toEqual([2, 0, 1])
    expect(tensors!.itemDims).toEqual([3, 2, 2])
    expect((await stat(path)).size).toBe(tensorCacheFileBytes(HEADER))
  })

  it('start the data at a multiple of 64 bytes, so the floats are a view, not a copy', () => {
    const payload = (36 + 3) * 4
    expect((tensorCacheFileBytes(HEADER) - payload) % 64).toBe(0)
  })

  it('are not trusted when the key, the size or the length differ', async () => {
    await writeInTwoBatches()
    expect(await readTensorCacheFile(path, { ...HEADER, key: 'b'.repeat(64) })).toBeNull()
    expect(await readTensorCacheFile(path, { ...HEADER, size: 2 })).toBeNull()
    await writeFile(path, new Uint8Array(100))
    expect(await readTensorCacheFile(path, HEADER)).toBeNull()
  })

  it('read as absent when there is no file', async () => {
    expect(await readTensorCacheFile(join(folder, 'missing.tensors'), HEADER)).toBeNull()
  })

  it('appear only when finished: an aborted writer leaves nothing behind', async () => {
    const writer = await createTensorCacheWriter(path, HEADER)
    await writer.append(IMAGES)
    expect(await readTensorCacheFile(path, HEADER)).toBeNull()
    await writer.abort()
    expect(await readdir(join(folder, 'nested'))).toEqual([])
  })
})
