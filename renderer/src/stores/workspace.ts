import { computed, shallowReactive } from 'vue'
import type {
  CheckpointInfo,
  DatasetEntry,
  DatasetRequest,
  ExampleReport,
  ImportReport,
  Preprocessing,
  RunPatch,
  RunDetail,
  RunInfo,
  WorkspaceInfo,
} from '../../../electron/api/contract/index.ts'
import { call, subscribe } from '../api/client.ts'
import { pickPath } from '../api/pick-path.ts'
import { pinBaseline } from './baseline.ts'

/** Something slow the user started from the shell (an import, the example workspace). */
export interface Activity {
  id: number
  label: string
  detail: string
  startedAt: number
}

/** A model file opened outside any run: the service has no list of them, so the library remembers. */
export interface OpenedModel {
  checkpointId: number
  fileName: string
}

/** Runs sharing a tag, e.g. the seeds of one configuration. */
export interface RunGroup {
  tag: string
  runs: RunInfo[]
}

export const workspace = shallowReactive({
  info: null as WorkspaceInfo | null,
  runs: [] as RunInfo[],
  datasets: [] as DatasetEntry[],
  datasetsError: '',
  openedModels: [] as OpenedModel[],
  isLoaded: false,
  loadError: '',
  /** Bumped after every refresh: views that cache run details reload. */
  version: 0,
  /** Bumped whenever a job stores a result: result lists reload. */
  resultsVersion: 0,
  activities: [] as Activity[],
  lastImport: null as ImportReport | null,
})

export const SYNTHETIC_TAG = 'synthetic'

export function isSyntheticRun(run: Pick<RunInfo, 'tags'>): boolean {
  return run.tags.includes(SYNTHETIC_TAG)
}

export const runGroups = computed<RunGroup[]>(() => {
  const byTag = new Map<string, RunInfo[]>()
  for (const run of workspace.runs) {
    for (const tag of run.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), run])
  }
  return [...byTag]
    .filter(([, runs]) => runs.length > 1)
    .map(([tag, runs]) => ({ tag, runs }))
    .sort((a, b) => a.tag.localeCompare(b.tag))
})

const details = new Map<number, Promise<RunDetail>>()

/** run:get, cached until the next refresh. */
export function runDetail(runId: number): Promise<RunDetail> {
  let detail = details.get(runId)
  if (!detail) {
    detail = call('run:get', runId)
    detail.catch(() => details.delete(runId))
    details.set(runId, detail)
  }
  return detail
}

function openedModelsKey(): string {
  return `resnet-workbench:opened-models:${workspace.info?.folder ?? ''}`
}

function loadOpenedModels(): OpenedModel[] {
  try {
    return JSON.parse(localStorage.getItem(openedModelsKey()) ?? '[]') as OpenedModel[]
  } catch {
    return []
  }
}

async function refreshDatasets(): Promise<void> {
  try {
    workspace.datasets = await call('dataset:list')
    workspace.datasetsError = ''
  } catch (error) {
    workspace.datasetsError = error instanceof Error ? error.message : String(error)
  }
}

const REVISION_POLL_MS = 3000
let knownRevision: string | null = null

/** Reloads workspace info, runs and datasets; never throws (the error is kept in loadError). */
export async function refreshWorkspace(): Promise<void> {
  details.clear()
  try {
    // Read before the lists: a change made while they load is seen by the next poll.
    knownRevision = await call('workspace:revision')
    const [info, runs] = await Promise.all([call('workspace:info'), call('run:list')])
    workspace.info = info
    workspace.runs = runs
    workspace.openedModels = loadOpenedModels()
    workspace.loadError = ''
  } catch (error) {
    workspace.loadError = error instanceof Error ? error.message : String(error)
  }
  await refreshDatasets()
  workspace.isLoaded = true
  workspace.version++
}

let isSyncing = false

/** Reloads when another process (the CLI, another window) changed runs, results or datasets. */
async function followRevision(): Promise<void> {
  try {
    const revision = await call('workspace:revision')
    const previous = knownRevision
    knownRevision = revision
    if (previous === null || revision === previous) return
    // runs | checkpoints | results | datasets: new results alone only reload result lists.
    const [runs, checkpoints, , datasets] = revision.split('|')
    const [runsBefore, checkpointsBefore, , datasetsBefore] = previous.split('|')
    workspace.resultsVersion++
    if (runs !== runsBefore || checkpoints !== checkpointsBefore || datasets !== datasetsBefore)
      await refreshWorkspace()
  } catch {
    // A workspace being switched or locked answers next time.
  }
}

/**
 * Follows job:progress so lists update as soon as a result is stored, and the workspace's
 * revision so an import by the CLI shows without a reload; call once from the shell.
 */
export function startWorkspaceSync(): void {
  if (isSyncing) return
  isSyncing = true
  subscribe('job:progress', (job) => {
    if (job.status !== 'done' || job.resultId === null) return
    workspace.resultsVersion++
    void refreshDatasets()
  })
  setInterval(() => void followRevision(), REVISION_POLL_MS)
}

let nextActivityId = 1

async function track<T>(label: string, detail: string, work: () => Promise<T>): Promise<T> {
  const activity: Activity = { id: nextActivityId++, label, detail, startedAt: Date.now() }
  workspace.activities = [...workspace.activities, activity]
  try {
    return await work()
  } finally {
    workspace.activities = workspace.activities.filter((a) => a.id !== activity.id)
  }
}

function folderName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path
}

export async function importRunFolder(folder: string): Promise<ImportReport> {
  const detail = 'Each checkpoint is hashed and summarised once (a few seconds per file).'
  const report = await track(`Importing ${folderName(folder)}`, detail, () =>
    call('run:import', folder),
  )
  workspace.lastImport = report
  await refreshWorkspace()
  return report
}

/** Picks a run folder and imports it; null when the pick was cancelled. */
export async function importRun(): Promise<ImportReport | null> {
  const folder = await pickPath({ kind: 'folder', title: 'Open a run folder', defaultPath: null })
  return folder ? importRunFolder(folder) : null
}

export async function openCheckpoint(): Promise<CheckpointInfo | null> {
  const path = await pickPath({
    kind: 'model',
    title: 'Open an ONNX checkpoint',
    defaultPath: null,
  })
  if (!path) return null
  const checkpoint = await track(`Opening ${folderName(path)}`, 'Hashing and summarising.', () =>
    call('checkpoint:open', path),
  )
  if (checkpoint.runId === null) {
    const opened = workspace.openedModels.filter((m) => m.checkpointId !== checkpoint.id)
    workspace.openedModels = [
      ...opened,
      { checkpointId: checkpoint.id, fileName: folderName(path) },
    ]
    localStorage.setItem(openedModelsKey(), JSON.stringify(workspace.openedModels))
  }
  return checkpoint
}

export function datasetRequest(path: string, split: string | null = null): DatasetRequest {
  return { path, format: 'auto', split, holdout: null, classes: null, sample: null, limit: null }
}

export async function addDataset(
  path: string,
  split: string | null,
  name: string | null,
): Promise<DatasetEntry> {
  const entry = await track(`Reading ${folderName(path)}`, 'Counting images and classes.', () =>
    call('dataset:add', datasetRequest(path, split), name),
  )
  await refreshDatasets()
  return entry
}

export async function createExample(): Promise<ExampleReport> {
  const report = await track(
    'Creating the example workspace',
    'A synthesized ResNet50 and a small generated image set (under a minute).',
    () => call('workspace:example', null),
  )
  await switched()
  return report
}

/** Another workspace is open: what pointed into the previous one goes. */
async function switched(): Promise<void> {
  workspace.lastImport = null
  pinBaseline(null)
  await refreshWorkspace()
}

/** Opens a workspace folder (created when empty). */
export async function openWorkspaceFolder(folder: string): Promise<WorkspaceInfo> {
  const info = await call('workspace:open', folder)
  await switched()
  return info
}

/** Picks a folder and opens it as the workspace (created when empty); null when cancelled. */
export async function openWorkspace(): Promise<WorkspaceInfo | null> {
  const folder = await pickPath({
    kind: 'folder',
    title: 'Open or create a workspace folder',
    defaultPath: workspace.info?.folder ?? null,
  })
  return folder ? openWorkspaceFolder(folder) : null
}

/** Saves a run's tags (or name/notes) and updates the library. */
export async function updateRun(runId: number, patch: RunPatch): Promise<RunInfo> {
  const run = await call('run:update', runId, patch)
  workspace.runs = workspace.runs.map((r) => (r.id === run.id ? run : r))
  details.delete(runId)
  workspace.version++
  return run
}

/** Sets how a checkpoint's images are prepared (a model opened on its own). */
export async function updateCheckpointPreprocessing(
  checkpointId: number,
  preprocessing: Preprocessing | null,
): Promise<CheckpointInfo> {
  const checkpoint = await call('checkpoint:update', checkpointId, { preprocessing })
  details.clear()
  workspace.version++
  return checkpoint
}
