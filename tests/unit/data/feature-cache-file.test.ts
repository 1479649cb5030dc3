import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createFeatureCacheWriter,
  featureCacheFileBytes,
  readFeatureCacheFile,
} from '../../../native-models/data/feature-cache-file.ts'

let folder = ''
const header = { key: 'a'.repeat(64), size: 3, dim: 5 }
const features = Float32Array.from({ length: 15 }, (_, i) => i / 7 - 1)
const labels = Int32Array.of(2, 0, 1)

async function written(name: string): Promise<string> {
  const file = join(folder, name)
  const writer = await createFeatureCacheWriter(file, header)
  await writer.append(features.subarray(0, 10))
  await writer.append(features.subarray(10))
  await writer.finish(labels)
  return file
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'feature-cache-'))
})
afterAll(() => rm(folder, { recursive: true, force: true }))

describe('a feature cache file', () => {
  it('gives back the features and labels it was written with, and its size is as computed', async () => {
    const file = await written('round-trip.features')
    const read = await readFeatureCacheFile(file, { key: header.key, size: 3 })
    expect(read?.dim).toBe(5)
    expect(Array.from(read!.features)).toEqual(Array.from(features))
    expect(Array.from(read!.labels)).toEqual([2, 0, 1])
    expect((await readFile(file)).length).toBe(featureCacheFileBytes(header))
  })

  it('is a miss, never trusted, when it is cut short, of another key or size, or not a cache file', async () => {
    const file = await written('cut.features')
    await truncate(file, featureCacheFileBytes(header) - 4)
    expect(await readFeatureCacheFile(file, { key: header.key, size: 3 })).toBeNull()
    const other = await written('other.features')
    expect(await readFeatureCacheFile(other, { key: 'b'.repeat(64), size: 3 })).toBeNull()
    expect(await readFeatureCacheFile(other, { key: header.key, size: 4 })).toBeNull()
    const junk = join(folder, 'junk.features')
    await writeFile(junk, 'RNWBFT01 not a header')
    expect(await readFeatureCacheFile(junk, { key: header.key, size: 3 })).toBeNull()
    expect(
      await readFeatureCacheFile(join(folder, 'absent.features'), { key: header.key, size: 3 }),
    ).toBeNull()
  })
})
