import type { DbHandle } from '../../db/index.ts'
import { getCheckpoint, listResultSummaries } from '../../db/index.ts'
import { openDataset } from '../../native-models/data/index.ts'
import { summarizeModel } from '../../native-models/onnx/index.ts'
import type { JobEstimate, JobRequest, Provenance } from './contract/index.ts'

// A ResNet50 at 32² evaluated at about 250 images/s on this project's 2-core reference machine.
const DEFAULT_MACS_PER_SECOND = 20e9
const SESSION_START_SECONDS = 2

interface Throughput {
  macsPerSecond: number
  /** Seconds a job takes besides its images (opening the session, the first batch). */
  overheadSeconds: number
  jobs: number
}

/**
 * Time = overhead + work / rate, from this kind's recent results: the fastest rate seen (a warm
 * engine; a job's time also holds its session start, so a median underestimates the rate about
 * twofold) and the smallest overhead it leaves.
 */
function measuredThroughput(db: DbHandle, kind: JobRequest['kind']): Throughput | null {
  const jobs: { work: number; seconds: number }[] = []
  for (const result of listResultSummaries(db, { kind }).slice(0, 20)) {
    const provenance = result.provenance as unknown as Provenance
    const images = result.headline['numImages']
    const macs = result.checkpointId === null ? null : getCheckpoint(db, result.checkpointId)?.macs
    if (!images || !macs || !(provenance.elapsedMs > 0)) continue
    jobs.push({ work: images * macs, seconds: provenance.elapsedMs / 1000 })
  }
  if (jobs.length === 0) return null
  const macsPerSecond = Math.max(...jobs.map((j) => j.work / j.seconds))
  const overheadSeconds = Math.min(...jobs.map((j) => j.seconds - j.work / macsPerSecond))
  return { macsPerSecond, overheadSeconds: Math.max(0, overheadSeconds), jobs: jobs.length }
}

async function modelMacs(db: DbHandle, request: JobRequest): Promise<number> {
  if (request.checkpointId !== null) return getCheckpoint(db, request.checkpointId)?.macs ?? 0
  return request.modelPath === null ? 0 : (await summarizeModel(request.modelPath)).macs
}

/** Images after selection, batch size and seconds, timed from this workspace's earlier jobs. */
export async function estimateJob(db: DbHandle, request: JobRequest): Promise<JobEstimate> {
  const dataset = await openDataset(request.dataset)
  const macs = await modelMacs(db, request)
  const measured = measuredThroughput(db, request.kind)
  const macsPerSecond = measured?.macsPerSecond ?? DEFAULT_MACS_PER_SECOND
  const imagesPerSecond = macs > 0 ? macsPerSecond / macs : null
  const batchSize =
    request.batchSize ?? Math.max(1, Math.min(dataset.size, Math.round(imagesPerSecond ?? 32)))
  const overhead = measured?.overheadSeconds ?? SESSION_START_SECONDS
  const seconds = imagesPerSecond === null ? null : overhead + dataset.size / imagesPerSecond
  const basis = measured
    ? `Timed from ${measured.jobs} earlier ${request.kind} job(s) in this workspace (${(measured.macsPerSecond / 1e9).toFixed(1)} GMAC/s).`
    : `A rough default (${DEFAULT_MACS_PER_SECOND / 1e9} GMAC/s, a 2-core CPU) until this workspace has timed a ${request.kind} job.`
  return { numImages: dataset.size, batchSize, seconds, basis }
}
