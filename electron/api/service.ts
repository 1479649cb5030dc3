import { basename, join, resolve } from 'node:path'
import {
  checkpointSummary,
  closeWorkspace,
  collectGarbage,
  deleteResult,
  getCheckpoint,
  getResult,
  readBlob,
  readFloat32Blob,
  updateRun,
  failOrphanedJobs,
  isDbOpen,
  getRunMeta,
  listJobs,
  requestJobCancel,
  getRunDetail,
  listRuns,
  openWorkspace,
  setCheckpointPreprocessing,
  getRunMetricRoles,
  setRunMetricRoles,
  workspaceInfo,
  workspaceRevision,
} from '../../db/index.ts'
import type { Workspace } from '../../db/index.ts'
import { summarizeModel } from '../../native-models/onnx/index.ts'
import { writeSynthesizedResNet } from '../../native-models/surgery/synth.ts'
import type {
  CheckpointInfo,
  CheckpointPatch,
  PreviewImage,
  PreviewRequest,
  DatasetEntry,
  ExampleReport,
  DatasetRequest,
  DerivedStart,
  JobEstimate,
  ResultFilter,
  ResultSummary,
  RunPatch,
  JobInfo,
  JobRequest,
  ResultInfo,
  ImportReport,
  ModelSummary,
  RunDetail,
  RunInfo,
  SynthReport,
  SynthRequest,
  WorkspaceInfo,
} from './contract/index.ts'
import { writeOrSkip } from './busy-workspace.ts'
import { RequestError, toIpcError } from './errors.ts'
import { checkImportedRun, roleOverridesOf, testSplitOf } from './import-check.ts'
import type { AnalysisContext, DerivedModule } from './analyses/analysis-module.ts'
import { validJobRequest } from './analyses/index.ts'
import {
  checkCheckpointPatch,
  checkPreviewRequest,
  checkResultFilter,
  checkRunPatch,
} from './request-checks.ts'
import { previewDataset } from './dataset-preview.ts'
import { computeDerived, startDerived } from './derived.ts'
import { openDataset } from '../../native-models/data/index.ts'
import { addDataset, datasetEntries } from './datasets.ts'
import { checkDatasetRequest } from './dataset-request.ts'
import { createExampleWorkspace } from './example-workspace.ts'
import { estimateJob } from './job-estimate.ts'
import { mergeWorkspaces } from './merge/merge-workspaces.ts'
import type { MergeReport } from './merge/merge-workspaces.ts'
import { openLooseCheckpoint } from './job-resolver.ts'
import { backfillHeadlines, requestOfResult, resultSummaries } from './results.ts'
import { importRunFolder } from './import-run.ts'
import { validateSynthRequest } from './validate-synth.ts'
import { JobManager } from './job-manager.ts'
import type { EnginePort, StartedJob } from './job-manager.ts'
import { jobInfo, resultInfo, toJobInfo } from './job-records.ts'
import { resolveCheckpointTarget, resolveRunId } from './checkpoint-target.ts'
import type { CheckpointTarget } from './checkpoint-target.ts'

export interface ServiceOptions {
  /** The engine process binding of the host (forked child process, or Electron utility process). */
  engine?: () => EnginePort
  /** Told whenever a job changes (progress, done): hosts forward it as a 'job:progress' event. */
  onJobChange?: (job: JobInfo) => void
  /** Told when a workspace opens (at first use and on `workspace:open`): hosts remember it. */
  onWorkspaceOpened?: (folder: string) => void
}

function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * What a killed process left behind: jobs marked running by a process that is gone, results
 * without a stored headline (older workspaces), and temp or unreferenced blob files past the
 * grace period. Skipped while another process holds the write lock (the next open does it).
 */
function recoverWorkspace(workspace: Workspace): void {
  writeOrSkip(() => failOrphanedJobs(workspace.db, isProcessAlive), 'the recovery of orphaned jobs')
  writeOrSkip(() => backfillHeadlines(workspace.db), 'the headlines of older results')
  collectGarbage(workspace.db, workspace.blobsFolder).catch((error: unknown) => {
    if (isDbOpen(workspace.db)) console.error('the blob store could not be tidied', error)
  })
}

const NO_CHECK_NUMBERS = {
  epoch: null,
  images: null,
  measured: null,
  logged: null,
  isMismatch: false,
}

export interface ProgressReport {
  stage: string
  done: number
  total: number
  detail?: string
}

/**
 * Implements the contract on the workspace (db/) and native-models; knows nothing of Electron,
 * HTTP or the terminal. The workspace opens on first use, so model-only calls never create one.
 */
export class WorkbenchService {
  readonly #options: ServiceOptions
  #folder: string
  #workspace: Workspace | null = null
  #jobs: JobManager | null = null

  constructor(workspaceFolder: string, options: ServiceOptions = {}) {
    this.#folder = workspaceFolder
    this.#options = options
  }

  get folder(): string {
    return this.#folder
  }

  get #db(): Workspace['db'] {
    if (!this.#workspace) {
      this.#workspace = openWorkspace(this.#folder, { create: true })
      recoverWorkspace(this.#workspace)
      this.#options.onWorkspaceOpened?.(this.#folder)
    }
    return this.#workspace.db
  }

  /** Switches to another workspace folder (created when missing); refused while a job runs here. */
  async openWorkspaceFolder(folder: string): Promise<WorkspaceInfo> {
    const absolute = resolve(folder)
    if (this.#jobs?.hasActiveJobs()) {
      throw new RequestError(
        'INVALID_ARGUMENT',
        `A job is still running in '${this.#folder}': cancel it or wait before opening '${absolute}'.`,
      )
    }
    const previous = this.#workspace
    const opened = openWorkspace(absolute, { create: true })
    if (previous) closeWorkspace(previous)
    this.#workspace = opened
    this.#folder = absolute
    this.#jobs = null
    recoverWorkspace(opened)
    this.#options.onWorkspaceOpened?.(absolute)
    return this.info()
  }

  get #jobManager(): JobManager {
    const engine = this.#options.engine
    if (!engine) throw new RequestError('INTERNAL', 'This host runs no analysis engine.')
    const db = this.#db
    const tensorCache = join(this.folder, 'cache', 'tensors')
    const blobs = this.#workspace!.blobsFolder
    this.#jobs ??= new JobManager(db, engine, this.#options.onJobChange, tensorCache, blobs)
    return this.#jobs
  }

  /** A checkpoint id, '<run>@<epoch>[.<variant>]', or a model file. */
  resolveCheckpointTarget(text: string): CheckpointTarget {
    return resolveCheckpointTarget(this.#db, text, (run) =>
      resolveRunId(this.listRuns(), run, this.folder),
    )
  }

  startJob(request: JobRequest, onProgress?: (job: JobInfo) => void): Promise<StartedJob> {
    return this.#jobManager.start(request, onProgress)
  }

  /** Copies other workspaces' results, and what they refer to, into this one (one transaction). */
  mergeWorkspaces(folders: string[]): Promise<MergeReport> {
    void this.#db
    return mergeWorkspaces(this.#workspace!, folders)
  }

  /** The stored result of an identical request, or null: nothing is started. */
  storedResult(request: JobRequest): Promise<ResultInfo | null> {
    return this.#jobManager.stored(request)
  }

  /** Asks the process running the job (this one or another) to stop it after its current batch. */
  cancelJob(jobId: number): void {
    if (!jobInfo(this.#db, jobId))
      throw new RequestError('JOB_NOT_FOUND', `No job ${jobId} in '${this.folder}' (see 'jobs').`)
    requestJobCancel(this.#db, jobId)
  }

  listJobs(): JobInfo[] {
    return listJobs(this.#db).map((record) => toJobInfo(this.#db, record))
  }

  getResult(resultId: number): ResultInfo {
    const result = resultInfo(this.#db, resultId)
    if (!result)
      throw new RequestError('NOT_IN_WORKSPACE', `No result ${resultId} in '${this.folder}'.`)
    return result
  }

  revision(): string {
    void this.#db
    return workspaceRevision(this.#workspace!)
  }

  async info(): Promise<WorkspaceInfo> {
    void this.#db
    return workspaceInfo(this.#workspace!)
  }

  /**
   * Imports a run folder; with an engine and `check` (default), evaluates the newest new epoch on
   * the run's test split (run.json `dataset`) and warns when it disagrees with the logged accuracy.
   */
  async importRun(
    folder: string,
    onProgress?: (p: ProgressReport) => void,
    options: { check?: boolean } = {},
  ): Promise<ImportReport> {
    const report = await importRunFolder(this.#db, folder, onProgress)
    if (options.check === false || !this.#options.engine || report.added.length === 0) return report
    const run = this.getRun(report.run.id)
    const deps = {
      runMeta: this.#runMeta(run.id),
      metrics: run.metrics,
      summaryOf: (c: CheckpointInfo) => this.checkpointSummary(c.id),
      evaluate: (request: JobRequest) => this.runJob(request),
    }
    try {
      const { check, warnings } = await checkImportedRun(report, run.checkpoints, deps)
      return { ...report, check, warnings: [...report.warnings, ...warnings] }
    } catch (error) {
      const { code, message } = toIpcError(error)
      const failed = `not checked: the evaluation failed [${code}] ${message}`
      return {
        ...report,
        check: { ...NO_CHECK_NUMBERS, status: 'failed', message: failed },
      }
    }
  }

  /** Starts a job and waits for its stored result (or the cached one). */
  async runJob(request: JobRequest, onProgress?: (job: JobInfo) => void): Promise<ResultInfo> {
    const started = await this.startJob(request, onProgress)
    const { job, result } = await started.completion
    if (result) return result
    if (job?.status === 'cancelled')
      throw new RequestError('JOB_CANCELLED', `Job ${job.id} was cancelled; nothing was stored.`)
    throw new RequestError(job?.error?.code ?? 'INTERNAL', job?.error?.message ?? 'The job failed.')
  }

  listResults(filter: ResultFilter = {}): ResultSummary[] {
    return resultSummaries(this.#db, checkResultFilter(filter))
  }

  /** Deletes a stored result and the blob files no other result refers to. */
  async deleteResult(resultId: number): Promise<void> {
    if (!deleteResult(this.#db, resultId))
      throw new RequestError('NOT_IN_WORKSPACE', `No result ${resultId} in '${this.folder}'.`)
    await collectGarbage(this.#db, this.#workspace!.blobsFolder)
  }

  /** Runs a stored result's request again; the new result replaces it only once it is stored. */
  recomputeResult(resultId: number): Promise<StartedJob> {
    return this.startJob({ ...requestOfResult(this.#db, resultId), force: true })
  }

  estimateJob(request: JobRequest): Promise<JobEstimate> {
    const isEngineRunning = (this.#jobs?.engineRunsTotal() ?? 0) > 0
    return estimateJob(this.#db, validJobRequest(request), isEngineRunning)
  }

  updateRun(runId: number, patch: RunPatch): RunInfo {
    const { metricRoles, ...fields } = checkRunPatch(patch)
    if (metricRoles && !setRunMetricRoles(this.#db, runId, metricRoles))
      throw new RequestError('NOT_IN_WORKSPACE', `No run with id ${runId} in '${this.folder}'.`)
    const run = updateRun(this.#db, runId, fields)
    if (!run)
      throw new RequestError('NOT_IN_WORKSPACE', `No run with id ${runId} in '${this.folder}'.`)
    return run
  }

  getCheckpoint(checkpointId: number): CheckpointInfo {
    const checkpoint = getCheckpoint(this.#db, checkpointId)
    if (!checkpoint)
      throw new RequestError(
        'NOT_IN_WORKSPACE',
        `No checkpoint with id ${checkpointId} in '${this.folder}'.`,
      )
    return checkpoint
  }

  /** Sets how a checkpoint's images are prepared (a model opened on its own has no run.json). */
  updateCheckpoint(checkpointId: number, patch: CheckpointPatch): CheckpointInfo {
    const { preprocessing } = checkCheckpointPatch(patch)
    const checkpoint = setCheckpointPreprocessing(this.#db, checkpointId, preprocessing)
    if (!checkpoint)
      throw new RequestError(
        'NOT_IN_WORKSPACE',
        `No checkpoint with id ${checkpointId} in '${this.folder}'.`,
      )
    return checkpoint
  }

  /** A few images as stored and as a model with this preprocessing sees them. */
  previewDataset(request: PreviewRequest): Promise<PreviewImage[]> {
    return previewDataset(checkPreviewRequest(request))
  }

  listDatasets(): DatasetEntry[] {
    return datasetEntries(this.#db)
  }

  addDataset(request: DatasetRequest, name: string | null = null): Promise<DatasetEntry> {
    return addDataset(this.#db, checkDatasetRequest(request), name)
  }

  /** Opens `folder` as the workspace and fills it with the labeled-synthetic example. */
  createExample(folder: string): Promise<ExampleReport> {
    return createExampleWorkspace(this, folder)
  }

  /** A model file outside any run as a checkpoint of this workspace. */
  async openCheckpoint(path: string): Promise<CheckpointInfo> {
    const id = await openLooseCheckpoint(this.#db, path)
    return getCheckpoint(this.#db, id)!
  }

  /** A derived result when the jobs it needs are stored, else those jobs started (the app). */
  startDerived<D extends DerivedModule>(
    derived: D,
    request: Parameters<D['jobsFor']>[0],
  ): Promise<DerivedStart<Awaited<ReturnType<D['compute']>>>> {
    return startDerived(derived, request, this.analysisContext)
  }

  /** A derived result after running each job it needs (the CLI passes a progress-bar runner). */
  computeDerived<D extends DerivedModule>(
    derived: D,
    request: Parameters<D['jobsFor']>[0],
    runJob: (request: JobRequest) => Promise<ResultInfo> = (job) => this.runJob(job),
  ): Promise<Awaited<ReturnType<D['compute']>>> {
    return computeDerived(derived, request, this.analysisContext, runJob)
  }

  /** Jobs of a kind this process handed to its engine: each is one pass over the images. */
  engineRuns(kind: JobRequest['kind']): number {
    return this.#jobs?.engineRuns(kind) ?? 0
  }

  /** What analysis modules may ask of the service. */
  get analysisContext(): AnalysisContext {
    return {
      startJob: (request) => this.startJob(request),
      readBlob: async (resultId, role) => readBlob(this.#blobsFolder, this.#blobOf(resultId, role)),
      readFloat32Blob: (resultId, role) =>
        readFloat32Blob(this.#blobsFolder, this.#blobOf(resultId, role)),
      result: (resultId) => this.getResult(resultId),
      checkpointLabel: (checkpointId) => this.checkpointLabel(checkpointId),
      selectionSize: async (dataset) => (await openDataset(dataset)).size,
    }
  }

  /** run.json's metadata, with the metric roles chosen in the app over run.json's. */
  #runMeta(runId: number): Record<string, unknown> {
    const meta = getRunMeta(this.#db, runId)
    const metricRoles = { ...roleOverridesOf(meta), ...getRunMetricRoles(this.#db, runId) }
    return { ...meta, metricRoles }
  }

  get #blobsFolder(): string {
    void this.#db
    return this.#workspace!.blobsFolder
  }

  #blobOf(resultId: number, role: string): string {
    const blob = getResult(this.#db, resultId)?.blobs.find((b) => b.role === role)
    if (!blob)
      throw new RequestError('NOT_IN_WORKSPACE', `Result ${resultId} has no stored '${role}' blob.`)
    return blob.sha256
  }

  /** 'seed0@10', 'seed0@10.bn', or the file name of a checkpoint outside any run. */
  checkpointLabel(checkpointId: number): string {
    const checkpoint = getCheckpoint(this.#db, checkpointId)
    if (!checkpoint) return `checkpoint ${checkpointId}`
    const run =
      checkpoint.runId === null ? null : listRuns(this.#db).find((r) => r.id === checkpoint.runId)
    if (!run || checkpoint.epoch === null) return basename(checkpoint.path)
    return `${run.name}@${checkpoint.epoch}${checkpoint.variant ? `.${checkpoint.variant}` : ''}`
  }

  checkpointRunId(checkpointId: number): number | null {
    return getCheckpoint(this.#db, checkpointId)?.runId ?? null
  }

  listRuns(): RunInfo[] {
    return listRuns(this.#db)
  }

  getRun(runId: number): RunDetail {
    const run = getRunDetail(this.#db, runId)
    if (!run)
      throw new RequestError('NOT_IN_WORKSPACE', `No run with id ${runId} in '${this.folder}'.`)
    const meta = this.#runMeta(runId)
    return { ...run, defaultDataset: testSplitOf(meta), metricRoles: roleOverridesOf(meta) }
  }

  checkpointSummary(checkpointId: number): ModelSummary {
    const summary = checkpointSummary(this.#db, checkpointId)
    if (!summary)
      throw new RequestError(
        'NOT_IN_WORKSPACE',
        `No checkpoint with id ${checkpointId} in '${this.folder}'.`,
      )
    return summary
  }

  summarizeModel(path: string): Promise<ModelSummary> {
    return summarizeModel(path)
  }

  async synth(outPath: string, request: SynthRequest): Promise<SynthReport> {
    validateSynthRequest(request)
    const written = await writeSynthesizedResNet(outPath, request)
    return {
      path: written.path,
      sizeBytes: written.sizeBytes + written.externalDataBytes,
      summary: await summarizeModel(outPath),
    }
  }

  close(): void {
    if (this.#workspace) closeWorkspace(this.#workspace)
    this.#workspace = null
  }
}

export { serviceHandlers } from './service-handlers.ts'
