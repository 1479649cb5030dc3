import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { DbHandle } from '../../db/index.ts'
import {
  claimNewJob,
  findResultByRequestHash,
  finishJob,
  isDbOpen,
  isJobCancelRequested,
  markJobRunning,
  saveResult,
  updateJobProgress,
  writeBlob,
  ensureDataset,
  writeTransaction,
} from '../../db/index.ts'
import type { ResultBlobRef } from '../../db/index.ts'
import type { JobOutput, JobProgress, ResolvedJob } from '../../native-models/engine/job-types.ts'
import { moduleOfKind, validJobRequest } from './analyses/index.ts'
import { retryWhileBusy, writeOrSkip } from './busy-workspace.ts'
import { APP_VERSION } from './app-version.ts'
import { readsImages } from './contract/index.ts'
import type {
  DatasetRequest,
  IpcError,
  JobInfo,
  JobRequest,
  Preprocessing,
  Provenance,
  ResultInfo,
} from './contract/index.ts'
import { datasetFilesFolder, datasetStatSignature } from './dataset-signature.ts'
import { SYNTHETIC_MARKER } from './datasets.ts'
import { toIpcError } from './errors.ts'
import { jobInfo, resultInfo, toResultInfo } from './job-records.ts'
import { resolveJobModel } from './job-resolver.ts'
import type { ResolvedModel } from './job-resolver.ts'
import { canonicalJson, sha256Hex } from './request-hash.ts'
import { joinStoredShards } from './merge/stored-shards.ts'

export type EngineOutcome =
  | { status: 'done'; output: JobOutput<unknown> }
  | { status: 'failed'; error: IpcError }
  | { status: 'cancelled' }

/** What the job manager needs of the engine process (EngineClient implements it). */
export interface EnginePort {
  run(job: ResolvedJob, onProgress: (progress: JobProgress) => void): Promise<EngineOutcome>
  cancel(jobId: number): void
}

export interface JobCompletion {
  job: JobInfo | null
  result: ResultInfo | null
}

export interface StartedJob extends JobCompletion {
  /** Settles when the job is stored (immediately for a cached result). */
  completion: Promise<JobCompletion>
}

const PROGRESS_WRITE_INTERVAL_MS = 250
const CANCEL_POLL_INTERVAL_MS = 250
const SETTLE_RETRY_INTERVAL_MS = 10_000
const FOLLOW_POLL_INTERVAL_MS = 250

// Cached tensors give bit-identical results, so a stored result answers with or without them.
const IMAGE_FIELDS = new Set(['dataset', 'preprocessing', 'batchSize', 'useTensorCache'])

function jobParameters(request: JobRequest): Record<string, unknown> {
  const { checkpointId: _c, modelPath: _m, provider: _v, kind: _k, force: _f, ...rest } = request
  return Object.fromEntries(Object.entries(rest).filter(([key]) => !IMAGE_FIELDS.has(key)))
}

/** What the images add to a request's identity; nothing for a kind that reads weights only. */
async function imagesKey(request: JobRequest, model: ResolvedModel): Promise<object> {
  if (!readsImages(request)) return {}
  return {
    dataset: request.dataset,
    datasetFiles: sha256Hex(await datasetStatSignature(datasetFilesFolder(request.dataset))),
    preprocessing: model.preprocessing,
    batchSize: request.batchSize,
  }
}

async function requestHashOf(request: JobRequest, model: ResolvedModel): Promise<string> {
  const key = {
    kind: request.kind,
    modelSha256: model.modelSha256,
    ...(await imagesKey(request, model)),
    parameters: jobParameters(request),
    provider: request.provider,
    appVersion: APP_VERSION,
  }
  return sha256Hex(canonicalJson(key))
}

/** The images the engine reads for a job: none for a kind that reads weights only. */
function imagesOf(
  request: JobRequest,
  model: ResolvedModel,
):
  | { dataset: DatasetRequest; preprocessing: Preprocessing }
  | { dataset: null; preprocessing: null } {
  if (!readsImages(request) || model.preprocessing === null)
    return { dataset: null, preprocessing: null }
  return { dataset: request.dataset, preprocessing: model.preprocessing }
}

function datasetName(dataset: DatasetRequest): string {
  const base = dataset.path.split(/[\\/]/).filter(Boolean).at(-1) ?? dataset.path
  const parts = [dataset.split ?? 'all']
  if (dataset.sample) parts.push(`sample ${dataset.sample.count} seed ${dataset.sample.seed}`)
  if (dataset.limit !== null) parts.push(`first ${dataset.limit}`)
  return `${base} (${parts.join(', ')})`
}

/** Records jobs, runs them on the engine, and stores each result with its provenance. */
/**
 * The host closed the workspace (quit, another workspace) while the job ran: nothing can be
 * recorded, and the next open of the workspace marks the row as interrupted (orphan recovery).
 */
function closedWhileRunning(running: JobInfo | null): JobCompletion {
  if (!running) return { job: null, result: null }
  const message = `The workspace was closed while job #${running.id} ran; nothing of it was stored.`
  return {
    job: { ...running, status: 'failed', error: { code: 'INTERNAL', message } },
    result: null,
  }
}

/** The job failed and its row could not be written yet (the workspace stayed locked). */
function failedWithoutRow(running: JobInfo | null, error: IpcError): JobCompletion {
  return { job: running ? { ...running, status: 'failed', error } : null, result: null }
}

interface JobTiming {
  elapsedMs: number
  /** The first job this manager handed to its engine, which starts the engine process. */
  startedEngine: boolean
}

export class JobManager {
  readonly #db: DbHandle
  readonly #engine: () => EnginePort
  readonly #onChange: (job: JobInfo) => void
  readonly #tensorCacheFolder: string | null
  readonly #blobsFolder: string | null
  readonly #engineRuns = new Map<string, number>()
  readonly #pending = new Map<string, { jobId: number; completion: Promise<JobCompletion> }>()
  #activeJobs = 0

  constructor(
    db: DbHandle,
    engine: () => EnginePort,
    onChange: (job: JobInfo) => void = () => undefined,
    tensorCacheFolder: string | null = null,
    blobsFolder: string | null = null,
  ) {
    this.#blobsFolder = blobsFolder
    this.#db = db
    this.#engine = engine
    this.#onChange = onChange
    this.#tensorCacheFolder = tensorCacheFolder
  }

  /** Jobs of this kind handed to the engine since this manager started (each is one pass over the data). */
  engineRuns(kind: string): number {
    return this.#engineRuns.get(kind) ?? 0
  }

  /** Jobs of every kind handed to the engine since this manager started. */
  engineRunsTotal(): number {
    return [...this.#engineRuns.values()].reduce((sum, n) => sum + n, 0)
  }

  hasActiveJobs(): boolean {
    return this.#activeJobs > 0
  }

  /** The request with defaults filled in, its model, and its identity in the workspace. */
  async #identify(
    request: JobRequest,
  ): Promise<{ request: JobRequest; model: ResolvedModel; requestHash: string }> {
    request = validJobRequest(request)
    const model = await resolveJobModel(this.#db, request)
    // The run's class names (run.json) map logits to names unless the request gives its own.
    if (readsImages(request)) {
      const dataset = { ...request.dataset, classes: request.dataset.classes ?? model.runClasses }
      request = { ...request, dataset }
    }
    return { request, model, requestHash: await requestHashOf(request, model) }
  }

  /** The stored result of an identical request, or null: nothing is started. */
  async stored(request: JobRequest): Promise<ResultInfo | null> {
    const { requestHash } = await this.#identify(request)
    const cached = findResultByRequestHash(this.#db, requestHash)
    return cached && toResultInfo(cached, true)
  }

  /** Answers an identical earlier request from the workspace; otherwise queues a job. */
  async start(request: JobRequest, onProgress?: (job: JobInfo) => void): Promise<StartedJob> {
    const identified = await this.#identify(request)
    request = identified.request
    const { model, requestHash } = identified
    const cached = request.force
      ? null
      : (findResultByRequestHash(this.#db, requestHash) ??
        (await joinStoredShards(this.#db, request, { ...model, requestHash }, (r) =>
          requestHashOf(r, model),
        )))
    if (cached) {
      const done = { job: null, result: toResultInfo(cached, true) }
      return { ...done, completion: Promise.resolve(done) }
    }
    const pending = request.force ? undefined : this.#pending.get(requestHash)
    if (pending) {
      // The same request is already running here: answer with that job instead of a second one.
      return { job: jobInfo(this.#db, pending.jobId), result: null, completion: pending.completion }
    }
    const claimed = await retryWhileBusy(() =>
      claimNewJob(
        this.#db,
        { kind: request.kind, params: request, ownerPid: process.pid, requestHash },
        !request.force,
      ),
    )
    // Another process (the app, another CLI call) computes the same request: wait for its result.
    if (!claimed.isNew) return this.#follow(claimed.jobId, requestHash, onProgress)
    const record = { id: claimed.jobId }
    const job: ResolvedJob = {
      jobId: record.id,
      request,
      modelPath: model.modelPath,
      modelSha256: model.modelSha256,
      ...imagesOf(request, model),
      tensorCacheFolder: this.#tensorCacheFolder,
    }
    const completion = this.#run(job, model, requestHash, onProgress).finally(() =>
      this.#pending.delete(requestHash),
    )
    this.#pending.set(requestHash, { jobId: record.id, completion })
    return { job: jobInfo(this.#db, record.id), result: null, completion }
  }

  /** A job of another process, followed through its row until it settles. */
  #follow(jobId: number, requestHash: string, onProgress?: (job: JobInfo) => void): StartedJob {
    let last = ''
    const completion = new Promise<JobCompletion>((resolve) => {
      const poll = setInterval(() => {
        writeOrSkip(() => {
          const info = isDbOpen(this.#db) ? jobInfo(this.#db, jobId) : null
          if (!info) {
            clearInterval(poll)
            return resolve({ job: null, result: null })
          }
          const seen = `${info.status}/${info.done}/${info.stage}`
          if (seen !== last) {
            last = seen
            onProgress?.(info)
            this.#onChange(info)
          }
          if (info.status === 'queued' || info.status === 'running') return
          clearInterval(poll)
          const stored = findResultByRequestHash(this.#db, requestHash)
          resolve({ job: info, result: stored && toResultInfo(stored, true) })
        }, `the state of job ${jobId}`)
      }, FOLLOW_POLL_INTERVAL_MS)
    })
    return { job: jobInfo(this.#db, jobId), result: null, completion }
  }

  async #run(
    job: ResolvedJob,
    model: ResolvedModel,
    requestHash: string,
    onProgress?: (job: JobInfo) => void,
  ): Promise<JobCompletion> {
    const id = job.jobId
    this.#activeJobs += 1
    await retryWhileBusy(() => markJobRunning(this.#db, id))
    this.#changed(id, onProgress)
    const running = jobInfo(this.#db, id)
    const startedAt = Date.now()
    let lastWrite = 0
    const engine = this.#engine()
    const startedEngine = this.engineRunsTotal() === 0
    this.#engineRuns.set(job.request.kind, this.engineRuns(job.request.kind) + 1)
    const cancelPoll = setInterval(() => {
      writeOrSkip(() => {
        if (isJobCancelRequested(this.#db, id)) engine.cancel(id)
      }, `the cancel request of job ${id}`)
    }, CANCEL_POLL_INTERVAL_MS)
    try {
      const outcome = await engine.run(job, (progress) => {
        if (Date.now() - lastWrite < PROGRESS_WRITE_INTERVAL_MS && progress.done < progress.total)
          return
        lastWrite = Date.now()
        const { stage, done, total } = progress
        const isWritten = writeOrSkip(
          () => updateJobProgress(this.#db, id, { stage, done, total }),
          `the progress of job ${id}`,
        )
        if (isWritten) this.#changed(id, onProgress)
      })
      const blobs = await this.#writeBlobs(outcome)
      const elapsedMs = Date.now() - startedAt
      const resultId = await retryWhileBusy(() =>
        this.#finish(job, model, requestHash, outcome, { elapsedMs, startedEngine }, blobs),
      )
      this.#changed(id, onProgress)
      return {
        job: jobInfo(this.#db, id),
        result: resultId === null ? null : resultInfo(this.#db, resultId),
      }
    } catch (error) {
      if (!isDbOpen(this.#db)) return closedWhileRunning(running)
      // Hosts that only start jobs never await completion: a failure (a full disk while storing
      // the result, a workspace locked for too long) is recorded on the job instead of becoming
      // an unhandled rejection.
      const failure = toIpcError(error)
      if (!(await this.#settleFailed(id, failure))) return failedWithoutRow(running, failure)
      this.#changed(id, onProgress)
      return { job: jobInfo(this.#db, id), result: null }
    } finally {
      clearInterval(cancelPoll)
      this.#activeJobs -= 1
    }
  }

  /**
   * Marks the job failed; while the workspace stays locked it keeps trying in the background (the
   * caller is answered at once), so the row never stays 'running' under a live host.
   */
  async #settleFailed(id: number, failure: IpcError): Promise<boolean> {
    const settle = (): void => void finishJob(this.#db, id, { status: 'failed', ...failure })
    try {
      await retryWhileBusy(settle)
      return true
    } catch (error) {
      console.error(`job ${id}: its failure could not be recorded yet`, error)
      const retry = setInterval(() => {
        if (!isDbOpen(this.#db) || writeOrSkip(settle, `the failure of job ${id}`))
          clearInterval(retry)
      }, SETTLE_RETRY_INTERVAL_MS)
      retry.unref()
      return false
    }
  }

  /** Blob files go first: a result row must never refer to a file that is not there. */
  async #writeBlobs(outcome: EngineOutcome): Promise<ResultBlobRef[]> {
    if (outcome.status !== 'done' || !outcome.output.blobs?.length) return []
    if (this.#blobsFolder === null) throw new Error('This job manager has no blob store.')
    const refs: ResultBlobRef[] = []
    for (const blob of outcome.output.blobs) {
      const stored = await writeBlob(this.#blobsFolder, blob.data)
      refs.push({ role: blob.role, sha256: stored.sha256 })
    }
    return refs
  }

  #finish(
    job: ResolvedJob,
    model: ResolvedModel,
    requestHash: string,
    outcome: EngineOutcome,
    timing: JobTiming,
    blobs: ResultBlobRef[],
  ): number | null {
    if (outcome.status === 'cancelled') {
      finishJob(this.#db, job.jobId, { status: 'cancelled' })
      return null
    }
    if (outcome.status === 'failed') {
      finishJob(this.#db, job.jobId, { status: 'failed', ...outcome.error })
      return null
    }
    return writeTransaction(this.#db, () => {
      const datasetId =
        job.dataset === null ? null : this.#storeDataset(job.dataset, outcome.output)
      const provenance = this.#provenance(job, outcome.output, timing)
      const saved = saveResult(this.#db, {
        jobId: job.jobId,
        kind: job.request.kind,
        checkpointId: model.checkpointId,
        datasetId,
        requestHash,
        provenance: provenance as unknown as Record<string, unknown>,
        payload: outcome.output.payload,
        headline: moduleOfKind(job.request.kind).headline(outcome.output.payload as never),
        blobs,
      })
      finishJob(this.#db, job.jobId, { status: 'done' })
      return saved.id
    })
  }

  #storeDataset(dataset: DatasetRequest, output: JobOutput<unknown>): number {
    const payload = output.payload as { classes?: string[]; numImages?: number }
    const path = resolve(dataset.path)
    return ensureDataset(this.#db, {
      name: datasetName(dataset),
      kind: dataset.format,
      path,
      fingerprint: output.datasetFingerprint ?? '',
      classes: payload.classes ?? [],
      meta: {
        request: dataset,
        isSynthetic: existsSync(join(path, SYNTHETIC_MARKER)),
        info: { numImages: payload.numImages ?? 0 },
      },
    })
  }

  #provenance(job: ResolvedJob, output: JobOutput<unknown>, timing: JobTiming): Provenance {
    return {
      modelSha256: job.modelSha256,
      modelFile: job.modelPath,
      datasetFingerprint: output.datasetFingerprint,
      dataset: job.dataset,
      preprocessing: job.preprocessing,
      parameters: { ...jobParameters(job.request), ...output.parameters },
      providers: output.providers,
      appVersion: APP_VERSION,
      createdAt: new Date().toISOString(),
      ...timing,
      batchSize: output.batchSize,
    }
  }

  #changed(jobId: number, onProgress?: (job: JobInfo) => void): void {
    const info = jobInfo(this.#db, jobId)
    if (!info) return
    onProgress?.(info)
    this.#onChange(info)
  }
}
