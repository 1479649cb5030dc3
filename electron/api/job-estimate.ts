import type { DbHandle } from '../../db/index.ts'
import { getCheckpoint, listResultSummaries } from '../../db/index.ts'
import { openDataset } from '../../native-models/data/index.ts'
import { batchSizeForTime } from '../../native-models/engine/batch-sizer.ts'
import { summarizeModel } from '../../native-models/onnx/index.ts'
import { readsImages } from './contract/index.ts'
import type { JobEstimate, JobRequest, Provenance } from './contract/index.ts'

// Until a workspace has timed a job: the 2-core reference machine's figures (README "Benchmark":
// a ResNet50 at about 1300 images/s at 32² and 42 at 224², i.e. 108-174 GMAC/s; a job's session
// set-up and storing; forking the engine and loading ONNX Runtime, once per host process).
const DEFAULT_MACS_PER_SECOND = 120e9
const JOB_OVERHEAD_SECONDS = 0.6
const ENGINE_START_SECONDS = 1.0
/** Work sizes must differ this much before a line through the jobs separates overhead from rate. */
const WORK_SPREAD_FOR_FIT = 1.5

export interface TimedJob {
  /** Images × multiply-accumulates per image. */
  work: number
  /** Without the engine start when the job started the engine. */
  seconds: number
}

export interface Throughput {
  macsPerSecond: number
  /** Seconds a job takes besides its images (opening the session, storing the result). */
  overheadSeconds: number
  jobs: number
}

function timedJobs(db: DbHandle, kind: JobRequest['kind']): TimedJob[] {
  const jobs: TimedJob[] = []
  for (const result of listResultSummaries(db, { kind }).slice(0, 20)) {
    const provenance = result.provenance as unknown as Provenance
    const images = result.headline['numImages']
    const macs = result.checkpointId === null ? null : getCheckpoint(db, result.checkpointId)?.macs
    if (!images || !macs || !(provenance.elapsedMs > 0)) continue
    const engineStart = provenance.startedEngine === true ? ENGINE_START_SECONDS : 0
    const seconds = provenance.elapsedMs / 1000 - engineStart
    if (seconds > 0) jobs.push({ work: images * macs, seconds })
  }
  return jobs
}

/** Least squares seconds = overhead + work / rate, when it gives a positive rate and overhead. */
function lineThrough(jobs: TimedJob[]): Omit<Throughput, 'jobs'> | null {
  const works = jobs.map((j) => j.work)
  if (jobs.length < 3 || Math.max(...works) < WORK_SPREAD_FOR_FIT * Math.min(...works)) return null
  const meanWork = works.reduce((a, b) => a + b, 0) / jobs.length
  const meanSeconds = jobs.reduce((a, j) => a + j.seconds, 0) / jobs.length
  let covariance = 0
  let variance = 0
  for (const j of jobs) {
    covariance += (j.work - meanWork) * (j.seconds - meanSeconds)
    variance += (j.work - meanWork) ** 2
  }
  const secondsPerMac = covariance / variance
  const overheadSeconds = meanSeconds - secondsPerMac * meanWork
  const shortest = Math.min(...jobs.map((j) => j.seconds))
  if (!(secondsPerMac > 0) || overheadSeconds < 0 || overheadSeconds > shortest) return null
  return { macsPerSecond: 1 / secondsPerMac, overheadSeconds }
}

/**
 * Time = overhead + work / rate, from this kind's recent results: a line through them when their
 * sizes differ enough; otherwise the usual overhead and the fastest rate it leaves (a busy machine
 * only slows jobs down).
 */
export function throughputOf(jobs: TimedJob[]): Throughput | null {
  if (jobs.length === 0) return null
  const line = lineThrough(jobs)
  if (line) return { ...line, jobs: jobs.length }
  const overheadSeconds = Math.min(JOB_OVERHEAD_SECONDS, ...jobs.map((j) => j.seconds / 2))
  const macsPerSecond = Math.max(...jobs.map((j) => j.work / (j.seconds - overheadSeconds)))
  return { macsPerSecond, overheadSeconds, jobs: jobs.length }
}

async function modelMacs(db: DbHandle, request: JobRequest): Promise<number> {
  if (request.checkpointId !== null) return getCheckpoint(db, request.checkpointId)?.macs ?? 0
  return request.modelPath === null ? 0 : (await summarizeModel(request.modelPath)).macs
}

/** A kind that reads weights only: no images, and the time of its latest stored results. */
function weightsOnlyEstimate(
  db: DbHandle,
  request: JobRequest,
  isEngineRunning: boolean,
): JobEstimate {
  const timed = listResultSummaries(db, { kind: request.kind })
    .slice(0, 20)
    .map((result) => (result.provenance as unknown as Provenance).elapsedMs / 1000)
    .filter((seconds) => seconds > 0)
  const engineStart = isEngineRunning ? 0 : ENGINE_START_SECONDS
  if (timed.length === 0) {
    const basis = `This kind reads weights only; no ${request.kind} job has been timed in this workspace yet.`
    return { numImages: 0, batchSize: 0, seconds: null, basis }
  }
  const seconds = Math.min(...timed) + engineStart
  const basis = `The fastest of ${timed.length} earlier ${request.kind} job(s) in this workspace (it reads weights only).`
  return { numImages: 0, batchSize: 0, seconds, basis }
}

/**
 * Images after selection, batch size and seconds, timed from this workspace's earlier jobs;
 * `isEngineRunning` false adds the engine's start (the first job of a host process).
 */
export async function estimateJob(
  db: DbHandle,
  request: JobRequest,
  isEngineRunning: boolean,
): Promise<JobEstimate> {
  if (!readsImages(request)) return weightsOnlyEstimate(db, request, isEngineRunning)
  const dataset = await openDataset(request.dataset)
  const macs = await modelMacs(db, request)
  const measured = throughputOf(timedJobs(db, request.kind))
  const macsPerSecond = measured?.macsPerSecond ?? DEFAULT_MACS_PER_SECOND
  const imagesPerSecond = macs > 0 ? macsPerSecond / macs : null
  // The engine sizes batches to about a second of work, as batchSizeForTime does here.
  const automatic = imagesPerSecond === null ? 32 : batchSizeForTime(1000 / imagesPerSecond)
  const batchSize = request.batchSize ?? Math.max(1, Math.min(dataset.size, automatic))
  const overhead =
    (measured?.overheadSeconds ?? JOB_OVERHEAD_SECONDS) +
    (isEngineRunning ? 0 : ENGINE_START_SECONDS)
  const seconds = imagesPerSecond === null ? null : overhead + dataset.size / imagesPerSecond
  const basis = measured
    ? `Timed from ${measured.jobs} earlier ${request.kind} job(s) in this workspace (${(measured.macsPerSecond / 1e9).toFixed(1)} GMAC/s).`
    : `A default (${DEFAULT_MACS_PER_SECOND / 1e9} GMAC/s, a 2-core CPU) until this workspace has timed a ${request.kind} job.`
  return { numImages: dataset.size, batchSize, seconds, basis }
}
