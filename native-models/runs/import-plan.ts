import type { CheckpointFile } from './types.ts'

/** What the workspace stored for a checkpoint path at the last import. */
export interface KnownCheckpointFile {
  sha256: string
  sizeBytes: number
  mtimeMs: number
}

export interface CheckpointImportPlan {
  /** New paths, or files whose size or modification time changed: hash and summarize these. */
  toRead: CheckpointFile[]
  /** Same size and mtime as stored: taken as unchanged without reading them. */
  unchanged: CheckpointFile[]
}

/**
 * Splits a scan's checkpoint files into those to read again and those the workspace already has,
 * by path, size and mtime. Reading a changed file and comparing its sha256 with `known` tells a
 * rewritten checkpoint from one that was only touched.
 */
export function planCheckpointImport(
  files: readonly CheckpointFile[],
  known: ReadonlyMap<string, KnownCheckpointFile>,
): CheckpointImportPlan {
  const plan: CheckpointImportPlan = { toRead: [], unchanged: [] }
  for (const file of files) {
    const stored = known.get(file.path)
    const isSame = stored?.sizeBytes === file.sizeBytes && stored.mtimeMs === file.mtimeMs
    if (isSame) plan.unchanged.push(file)
    else plan.toRead.push(file)
  }
  return plan
}
