import type { DbHandle } from './handle.ts'
import { rm } from 'node:fs/promises'
import { listBlobFolder } from './blobs.ts'
import type { BlobFolderEntry } from './blobs.ts'
import { oldestActiveJobStart } from './queries/jobs.ts'
import { referencedBlobs } from './queries/results.ts'

export interface GarbageCollectionOptions {
  /**
   * Files modified more recently than this are kept: a job writes its blobs before it saves the
   * result that refers to them, maybe in another process. Default 15 minutes; tests pass 0.
   */
  graceMs?: number
  now?: number
}

export interface GarbageReport {
  removed: Pick<BlobFolderEntry, 'kind' | 'path' | 'sha256' | 'sizeBytes'>[]
  freedBytes: number
}

const DEFAULT_GRACE_MS = 15 * 60 * 1000
// File times come from a coarse kernel clock (or a file server's clock): compare with slack.
const CLOCK_SLACK_MS = 60 * 1000

/** Files older than this may go; files from the time an unfinished job has been active stay. */
function removalCutoff(db: DbHandle, options: GarbageCollectionOptions): number {
  const now = options.now ?? Date.now()
  const cutoff = now - (options.graceMs ?? DEFAULT_GRACE_MS)
  const oldestActive = oldestActiveJobStart(db)
  return oldestActive === null
    ? cutoff
    : Math.min(cutoff, Date.parse(oldestActive) - CLOCK_SLACK_MS)
}

function isGarbage(entry: BlobFolderEntry, referenced: Set<string>, cutoff: number): boolean {
  if (entry.mtimeMs >= cutoff) return false
  return entry.kind === 'temp' || !referenced.has(entry.sha256)
}

/**
 * Deletes blob files no result refers to any more, and temp files killed writers left behind;
 * returns what it removed.
 */
export async function collectGarbage(
  db: DbHandle,
  blobsFolder: string,
  options: GarbageCollectionOptions = {},
): Promise<GarbageReport> {
  const referenced = referencedBlobs(db)
  const cutoff = removalCutoff(db, options)
  const garbage = (await listBlobFolder(blobsFolder)).filter((entry) =>
    isGarbage(entry, referenced, cutoff),
  )
  for (const entry of garbage) await rm(entry.path, { force: true })
  return {
    removed: garbage.map(({ kind, path, sha256, sizeBytes }) => ({
      kind,
      path,
      sha256,
      sizeBytes,
    })),
    freedBytes: garbage.reduce((sum, entry) => sum + entry.sizeBytes, 0),
  }
}
