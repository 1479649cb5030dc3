import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Workspace } from '../../../db/index.ts'
import {
  blobPath,
  closeWorkspace,
  DbError,
  mergeableResults,
  openWorkspace,
  readBlob,
  writeBlob,
  writeTransaction,
} from '../../../db/index.ts'
import { RequestError } from '../errors.ts'
import { mergeRows, newMergeState } from './merge-rows.ts'
import type { MergeCounts, MergeSource, MergeSourceReport } from './merge-rows.ts'

export type { MergeCounts, MergeSourceReport } from './merge-rows.ts'

export interface MergeReport {
  /** The workspace merged into. */
  workspace: string
  sources: MergeSourceReport[]
}

function openSource(folder: string, target: Workspace): Workspace {
  const absolute = resolve(folder)
  if (absolute === target.folder)
    throw new RequestError(
      'INVALID_ARGUMENT',
      `'${absolute}' is the workspace being merged into: name the other workspaces.`,
    )
  try {
    return openWorkspace(absolute)
  } catch (error) {
    if (error instanceof DbError && error.code === 'DB_FROM_FUTURE')
      throw new DbError('DB_FROM_FUTURE', `Nothing was merged: ${error.message}`, { cause: error })
    throw error
  }
}

/** Copies the blob files the added results refer to; a blob already there is not copied again. */
async function copyBlobs(source: Workspace, target: Workspace, shas: Set<string>) {
  const blobs: MergeCounts = { added: 0, alreadyPresent: 0 }
  for (const sha of [...shas].sort()) {
    if (existsSync(blobPath(target.blobsFolder, sha))) {
      blobs.alreadyPresent += 1
      continue
    }
    await writeBlob(target.blobsFolder, await readBlob(source.blobsFolder, sha))
    blobs.added += 1
  }
  return blobs
}

/**
 * Merges other workspaces' results (and the checkpoints, runs, datasets and blob files they refer
 * to) into `target`: what the target holds already is skipped, an incompatible item refuses the
 * whole merge (MERGE_CONFLICT, before anything is written), and all rows go in one transaction.
 * Blob files are copied first, so a result row never refers to a missing file.
 */
export async function mergeWorkspaces(target: Workspace, folders: string[]): Promise<MergeReport> {
  if (folders.length === 0)
    throw new RequestError('INVALID_ARGUMENT', 'Name one or more workspaces to merge.')
  const opened: Workspace[] = []
  try {
    for (const folder of folders) opened.push(openSource(folder, target))
    const sources: MergeSource[] = opened.map((w) => ({
      folder: w.folder,
      db: w.db,
      results: mergeableResults(w.db),
    }))
    const checkState = newMergeState()
    const planned = sources.map((source) => mergeRows(target, source, checkState, false))
    const blobs: MergeCounts[] = []
    for (const [i, plan] of planned.entries())
      blobs.push(await copyBlobs(opened[i], target, plan.blobShas))
    const writeState = newMergeState()
    const written = writeTransaction(target.db, () =>
      sources.map((source) => mergeRows(target, source, writeState, true)),
    )
    return {
      workspace: target.folder,
      sources: written.map(({ blobShas: _shas, ...report }, i) => ({ ...report, blobs: blobs[i] })),
    }
  } finally {
    for (const workspace of opened) closeWorkspace(workspace)
  }
}
