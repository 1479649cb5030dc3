import { channel, folderPath, nullable } from './channels.ts'
import type { ChannelSpecs } from './channels.ts'
import type { DatasetEntry } from './datasets.ts'

export interface WorkspaceInfo {
  folder: string
  schemaVersion: number
  runs: number
  checkpoints: number
  blobs: number
  blobBytes: number
}

export interface ExampleReport {
  workspace: WorkspaceInfo
  runId: number
  dataset: DatasetEntry
}

export interface WorkspaceInvoke {
  'workspace:info': () => WorkspaceInfo
  /** Changes when another process changed what lists show: the views then reload. */
  'workspace:revision': () => string
  /** Opens (or creates) a workspace folder; refused while a job of this process runs. */
  'workspace:open': (folder: string) => WorkspaceInfo
  /** Creates the labeled-synthetic example workspace (default folder when null) and opens it. */
  'workspace:example': (folder: string | null) => ExampleReport
}
export const WORKSPACE_CHANNELS = {
  'workspace:info': channel([]),
  'workspace:revision': channel([]),
  'workspace:open': channel([folderPath('folder')]),
  'workspace:example': channel([nullable(folderPath('folder'))]),
} as const satisfies ChannelSpecs<WorkspaceInvoke>
