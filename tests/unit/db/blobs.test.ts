import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { collectGarbage } from '../../../db/blob-gc.ts'
import {
  blobPath,
  listBlobFolder,
  readBlob,
  readFloat32Blob,
  TEMP_FILE_PREFIX,
  writeBlob,
} from '../../../db/blobs.ts'
import type { Workspace } from '../../../db/connection.ts'
import { insertJob } from '../../../db/queries/jobs.ts'
import { saveResult } from '../../../db/queries/results.ts'
import { expectError, rejectionOf } from './error-assertions.ts'
import { createTempWorkspace } from './temp-workspace.ts'
import type { TempWorkspace } from './temp-workspace.ts'

// sha256 of the three bytes [1, 2, 3].
const SHA_123 = '039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81'

let temp: TempWorkspace
let workspace: Workspace
beforeEach(async () => {
  temp = await createTempWorkspace()
  workspace = temp.workspace
})
afterEach(() => temp.dispose())

function referTo(sha256: string, requestHash = `request-${sha256}`): void {
  saveResult(workspace.db, {
    jobId: null,
    kind: 'features',
    checkpointId: null,
    datasetId: null,
    requestHash,
    provenance: {},
    payload: null,
    blobs: [{ role: 'features', sha256 }],
  })
}

async function makeOld(file: string): Promise<void> {
  const longAgo = new Date(Date.now() - 24 * 3600 * 1000)
  await utimes(file, longAgo, longAgo)
}

describe('blob store', () => {
  it('stores bytes under their sha256 in a two-letter shard folder', async () => {
    const stored = await writeBlob(workspace.blobsFolder, new Uint8Array([1, 2, 3]))
    expect(stored).toEqual({ sha256: SHA_123, sizeBytes: 3 })
    expect(blobPath(workspace.blobsFolder, SHA_123)).toBe(
      join(workspace.blobsFolder, '03', SHA_123.slice(2)),
    )
    expect([...(await readBlob(workspace.blobsFolder, SHA_123))]).toEqual([1, 2, 3])
  })

  it('reads back a Float32Array exactly, including from a view into a larger buffer', async () => {
    const values = new Float32Array([0.1, -2.5, Math.PI, 1e-30, 7])
    const view = values.subarray(1, 4)
    const { sha256 } = await writeBlob(workspace.blobsFolder, view)
    expect(await readFloat32Blob(workspace.blobsFolder, sha256)).toEqual(new Float32Array(view))
  })

  it('writes the same content once, however often it is stored', async () => {
    await writeBlob(workspace.blobsFolder, new Uint8Array([1, 2, 3]))
    await writeBlob(workspace.blobsFolder, new Uint8Array([1, 2, 3]))
    expect(await listBlobFolder(workspace.blobsFolder)).toHaveLength(1)
    expect(await readdir(join(workspace.blobsFolder, '03'))).toEqual([SHA_123.slice(2)])
  })

  it('refuses to read a blob that is missing, or a name that is not a sha256', async () => {
    const missing = await rejectionOf(readBlob(workspace.blobsFolder, SHA_123))
    expectError(missing, 'NOT_FOUND', SHA_123.slice(2))
    await expect(readBlob(workspace.blobsFolder, '../../etc/passwd')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    })
  })

  it('refuses to read a blob as float32 when its length is not a multiple of 4', async () => {
    await writeBlob(workspace.blobsFolder, new Uint8Array([1, 2, 3]))
    await expect(readFloat32Blob(workspace.blobsFolder, SHA_123)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    })
  })

  it('ignores a temp file a killed writer left, and stores the blob normally after it', async () => {
    const shard = join(workspace.blobsFolder, '03')
    await mkdir(shard, { recursive: true })
    await writeFile(join(shard, `${TEMP_FILE_PREFIX}killed-writer`), new Uint8Array([1, 2]))
    await expect(readBlob(workspace.blobsFolder, SHA_123)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await writeBlob(workspace.blobsFolder, new Uint8Array([1, 2, 3]))
    expect([...(await readBlob(workspace.blobsFolder, SHA_123))]).toEqual([1, 2, 3])
    const kinds = (await listBlobFolder(workspace.blobsFolder)).map((entry) => entry.kind)
    expect(kinds.sort()).toEqual(['blob', 'temp'])
  })
})

describe('collectGarbage', () => {
  it('deletes unreferenced blobs and stale temp files, and keeps referenced blobs', async () => {
    const kept = await writeBlob(workspace.blobsFolder, new Float32Array([1, 2]))
    const orphan = await writeBlob(workspace.blobsFolder, new Float32Array([3, 4]))
    referTo(kept.sha256)
    const temp = join(workspace.blobsFolder, '03', `${TEMP_FILE_PREFIX}leftover`)
    await mkdir(join(workspace.blobsFolder, '03'), { recursive: true })
    await writeFile(temp, 'partial')
    const report = await collectGarbage(workspace.db, workspace.blobsFolder, { graceMs: 0 })
    expect(report.removed.map((entry) => entry.kind).sort()).toEqual(['blob', 'temp'])
    expect(report.removed.find((entry) => entry.kind === 'blob')?.sha256).toBe(orphan.sha256)
    expect(report.freedBytes).toBe(8 + 'partial'.length)
    const left = await listBlobFolder(workspace.blobsFolder)
    expect(left.map((entry) => entry.sha256)).toEqual([kept.sha256])
  })

  it('keeps recent unreferenced blobs, which a job may be about to refer to', async () => {
    const fresh = await writeBlob(workspace.blobsFolder, new Uint8Array([9]))
    const report = await collectGarbage(workspace.db, workspace.blobsFolder)
    expect(report.removed).toEqual([])
    await makeOld(blobPath(workspace.blobsFolder, fresh.sha256))
    const later = await collectGarbage(workspace.db, workspace.blobsFolder)
    expect(later.removed.map((entry) => entry.sha256)).toEqual([fresh.sha256])
  })

  it('keeps blobs written since an unfinished job started', async () => {
    insertJob(workspace.db, 'features', {})
    await writeBlob(workspace.blobsFolder, new Uint8Array([9]))
    const now = Date.now() + 3600 * 1000
    const report = await collectGarbage(workspace.db, workspace.blobsFolder, { graceMs: 0, now })
    expect(report.removed).toEqual([])
  })

  it('does not delete an old blob that was just written again', async () => {
    const blob = await writeBlob(workspace.blobsFolder, new Uint8Array([5]))
    await makeOld(blobPath(workspace.blobsFolder, blob.sha256))
    await writeBlob(workspace.blobsFolder, new Uint8Array([5]))
    const report = await collectGarbage(workspace.db, workspace.blobsFolder)
    expect(report.removed).toEqual([])
  })
})
