import type { Database } from 'better-sqlite3'
import type { WorkspaceInfo } from '../electron/api/contract/index.ts'
import { listBlobFolder } from './blobs.ts'
import { connectionOf } from './handle.ts'
import type { Workspace } from './connection.ts'
import { schemaVersion } from './migrate.ts'
import { preparedPerConnection } from './statements.ts'

const statements = preparedPerConnection((db: Database) => ({
  // Changes whenever another process (the CLI, a second window) adds or changes what lists show.
  revision: db
    .prepare<[], string>(
      `SELECT (SELECT count(*) || ':' || coalesce(max(updated_at), '') FROM runs) || '|' ||
        (SELECT count(*) || ':' || coalesce(max(id), 0) FROM checkpoints) || '|' ||
        (SELECT count(*) || ':' || coalesce(max(id), 0) FROM results) || '|' ||
        (SELECT count(*) || ':' || coalesce(max(id), 0) FROM datasets)`,
    )
    .pluck(),
  counts: db.prepare<[], { runs: number; checkpoints: number }>(
    'SELECT (SELECT count(*) FROM runs WHERE metrics_generation > 0) AS runs, (SELECT count(*) FROM checkpoints) AS checkpoints',
  ),
}))

/** Counts of what the workspace holds; blobs are counted on disk (what they really occupy). */
export async function workspaceInfo(workspace: Workspace): Promise<WorkspaceInfo> {
  const { runs, checkpoints } = statements(workspace.db).counts.get()!
  const blobs = (await listBlobFolder(workspace.blobsFolder)).filter((e) => e.kind === 'blob')
  return {
    folder: workspace.folder,
    schemaVersion: schemaVersion(connectionOf(workspace.db)),
    runs,
    checkpoints,
    blobs: blobs.length,
    blobBytes: blobs.reduce((sum, blob) => sum + blob.sizeBytes, 0),
  }
}

/** A short text that changes when runs, checkpoints, results or datasets change. */
export function workspaceRevision(workspace: Workspace): string {
  return statements(workspace.db).revision.get()!
}
