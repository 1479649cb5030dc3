// Jobs (1) evaluation and (2) CKA Grams through the real WorkbenchService and its forked engine,
// timed whole and over their batches, with the engine's peak RSS (VmHWM reset before each job);
// and the CKA step from stored Grams (service.computeDerived(ckaCompute), no engine run).
import type {
  CkaGramsRequest,
  CkaGramsResult,
  CkaRequest,
  CkaResult,
  EvaluateRequest,
  JobInfo,
  ResultInfo,
} from '../../electron/api/contract/index.ts'
import { ckaCompute } from '../../electron/api/analyses/cka/index.ts'
import { currentRssBytes, peakRssBytes, resetPeakRss } from './process-memory.ts'
import type { BenchService } from './service-jobs.ts'

export interface JobTiming {
  kind: 'evaluate' | 'cka-grams'
  images: number
  /** service.runJob, from the call to the stored result. */
  wallSeconds: number
  /** From the first progress report (batches start) to the one with every image done. */
  loopSeconds: number
  /** Distinct progress counts above 0: one per batch for both jobs. */
  progressSteps: number
  engineStartRssBytes: number | null
  enginePeakRssBytes: number | null
  /** Gram jobs: n, batches, dropped, per-tap features, the 'grams' blob size. */
  grams?: GramsCheck
}

export interface GramsCheck {
  n: number
  batches: number
  droppedImages: number
  orderSha256: string
  taps: { key: string; features: number }[]
  resultId: number
}

function progressTimer(): {
  observe: (job: JobInfo) => void
  seconds: () => number
  steps: () => number
} {
  let firstAt: number | null = null
  let lastAt = 0
  const done = new Set<number>()
  return {
    observe: (job) => {
      if (job.status !== 'running' || job.total === 0) return
      firstAt ??= performance.now()
      if (job.done > 0) done.add(job.done)
      if (job.done === job.total) lastAt = performance.now()
    },
    seconds: () => (lastAt - (firstAt ?? lastAt)) / 1000,
    steps: () => done.size,
  }
}

export async function timeServiceJob(
  bench: BenchService,
  request: EvaluateRequest | CkaGramsRequest,
): Promise<JobTiming> {
  const pid = bench.enginePid()
  if (pid !== null) resetPeakRss(pid)
  const startRss = pid === null ? null : currentRssBytes(pid)
  const timer = progressTimer()
  const startedAt = performance.now()
  const result = await bench.service.runJob(request, timer.observe)
  const wallSeconds = (performance.now() - startedAt) / 1000
  const enginePid = bench.enginePid()
  if (result.isCached) throw new Error(`The ${request.kind} job was answered from a stored result.`)
  const timing: JobTiming = {
    kind: request.kind,
    images: (result.payload as { numImages: number }).numImages,
    ...{ wallSeconds, loopSeconds: timer.seconds(), progressSteps: timer.steps() },
    engineStartRssBytes: startRss,
    enginePeakRssBytes: enginePid === null ? null : peakRssBytes(enginePid),
  }
  if (request.kind === 'cka-grams') {
    const grams = result as ResultInfo<CkaGramsResult>
    const { n, batches, droppedImages, orderSha256, taps } = grams.payload
    timing.grams = {
      ...{ n, batches, droppedImages, orderSha256, resultId: grams.id },
      taps: taps.map((t) => ({ key: t.key, features: t.features })),
    }
  }
  return timing
}

export interface CkaStepTiming {
  seconds: number
  /** Gram jobs the engine ran during the step: 0 when the stored Grams answered. */
  engineRuns: number
  result: CkaResult
}

export async function timeCkaFromStoredGrams(
  bench: BenchService,
  request: CkaRequest,
): Promise<CkaStepTiming> {
  const before = bench.service.engineRuns('cka-grams')
  const startedAt = performance.now()
  const result = await bench.service.computeDerived(ckaCompute, request)
  const seconds = (performance.now() - startedAt) / 1000
  return { seconds, engineRuns: bench.service.engineRuns('cka-grams') - before, result }
}
