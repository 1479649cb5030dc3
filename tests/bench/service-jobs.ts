// Variants (b), (c), (d): jobs through the real WorkbenchService and its forked engine.
import { join } from 'node:path'
import type {
  ActivationStatsRequest,
  CorruptionCell,
  EvaluateRequest,
  JobInfo,
} from '../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../electron/api/service.ts'
import { EngineClient } from '../../native-models/engine/engine-client.ts'
import type { Measurement } from './bare-ort.ts'
import { BATCH_SIZE, datasetOf, forgetStoredResults } from './fixtures.ts'
import type { Fixture } from './fixtures.ts'
import { currentRssBytes, peakRssBytes, resetPeakRss } from './process-memory.ts'

export interface BenchService {
  service: WorkbenchService
  enginePid(): number | null
  /** Ends the engine process; the next job starts a new one (no cached session, cold arena). */
  restartEngine(): void
  close(): void
}

/** The service as the CLI wires it (electron/cli/service-host.ts), on a fresh workspace. */
export function openBenchService(root: string): BenchService {
  let engine: EngineClient | null = null
  const service = new WorkbenchService(join(root, 'workspace'), {
    engine: () => (engine ??= new EngineClient()),
  })
  return {
    service,
    enginePid: () => engine?.pid ?? null,
    restartEngine: () => {
      engine?.dispose()
      engine = null
    },
    close: () => {
      service.close()
      engine?.dispose()
    },
  }
}

export function evaluateRequest(
  fixture: Fixture,
  options: { useTensorCache: boolean; limit?: number; corruption?: CorruptionCell },
): EvaluateRequest {
  return {
    ...{ kind: 'evaluate', checkpointId: null, modelPath: fixture.modelPath },
    dataset: datasetOf(fixture, options.limit ?? null),
    preprocessing: fixture.resolution.preprocessing,
    ...{ batchSize: BATCH_SIZE, provider: 'cpu', useTensorCache: options.useTensorCache },
    ...(options.corruption === undefined ? {} : { corruption: options.corruption }),
  }
}

/** The CLI's defaults (every block output and the pooled features, 4096 samples, 64 bins). */
export function statsRequest(
  fixture: Fixture,
  options: { useTensorCache: boolean; limit?: number },
): ActivationStatsRequest {
  return {
    ...evaluateRequest(fixture, options),
    kind: 'activation-stats',
    ...{ taps: null, histogramSamplesPerBatch: 4096, histogramBins: 64, seed: 0 },
  }
}

export interface TimedJob extends Measurement {
  tensorCache: unknown
  /** Corruption cells only: off, hit, stored, miss or too-large. */
  decodedImageCache?: unknown
}

/** Runs one job to its stored result, timing the whole wait and the batch loop separately. */
export async function timeJob(
  bench: BenchService,
  fixture: Fixture,
  request: EvaluateRequest | ActivationStatsRequest,
): Promise<TimedJob> {
  await forgetStoredResults(fixture)
  const pid = bench.enginePid()
  if (pid !== null) resetPeakRss(pid)
  const startRss = pid === null ? null : currentRssBytes(pid)
  const loop = loopTimer()
  const startedAt = performance.now()
  const result = await bench.service.runJob(request, loop.observe)
  const jobSeconds = (performance.now() - startedAt) / 1000
  const images = (result.payload as { numImages: number }).numImages
  const enginePid = bench.enginePid()
  return {
    images,
    loopImagesPerSecond: images / loop.seconds(),
    jobImagesPerSecond: images / jobSeconds,
    peakRssBytes: enginePid === null ? null : peakRssBytes(enginePid),
    note: `engine process (RSS ${megabytes(startRss)} MB at start); job ${jobSeconds.toFixed(1)} s`,
    tensorCache: result.provenance.parameters.tensorCache,
    ...('decodedImageCache' in result.provenance.parameters
      ? { decodedImageCache: result.provenance.parameters.decodedImageCache }
      : {}),
  }
}

const megabytes = (bytes: number | null): string =>
  bytes === null ? '–' : String(Math.round(bytes / 2 ** 20))

/** From the job's first progress report (batches start) to its last (all images done). */
function loopTimer(): { observe: (job: JobInfo) => void; seconds: () => number } {
  let firstAt: number | null = null
  let lastAt = 0
  return {
    observe: (job) => {
      if (job.status !== 'running' || job.total === 0) return
      firstAt ??= performance.now()
      if (job.done === job.total) lastAt = performance.now()
    },
    seconds: () => (lastAt - (firstAt ?? lastAt)) / 1000,
  }
}
