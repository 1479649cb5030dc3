import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JobProgress, ResolvedJob } from '../../../../native-models/engine/job-types.ts'
import { EngineClient } from '../../../../native-models/engine/engine-client.ts'
import type { EngineClientOptions } from '../../../../native-models/engine/engine-client.ts'
import { forkNodeEngine } from '../../../../native-models/engine/engine-process.ts'
import { TEST_JOBS_ENV } from '../../../../native-models/engine/engine-env.ts'
import type { EngineOutcome } from '../../../../native-models/engine/protocol.ts'
import { THREADS_ENV } from '../../../../native-models/runtime/threads.ts'
import { writeSynthesizedResNet } from '../../../../native-models/surgery/synth.ts'

/** An engine with the test-only job kinds, one ORT thread per operator (CI has 2 cores). */
export function testEngineClient(options: EngineClientOptions = {}): EngineClient {
  const env = { ...process.env, [TEST_JOBS_ENV]: '1', [THREADS_ENV]: '1' }
  return new EngineClient({ spawn: () => forkNodeEngine({ env }), ...options })
}

/** A ResolvedJob around a test request; the test kinds read only `modelPath` and the request. */
export function testJob(
  jobId: number,
  modelPath: string,
  request: Record<string, unknown>,
): ResolvedJob {
  return {
    jobId,
    request: { provider: 'cpu', ...request } as unknown as ResolvedJob['request'],
    modelPath,
    modelSha256: 'test',
    preprocessing: {
      resize: null,
      centerCrop: null,
      pad: 0,
      grayToRgb: false,
      mean: [0],
      std: [1],
      inputSize: [32, 32],
    },
    dataset: {
      path: '',
      format: 'auto',
      split: null,
      holdout: null,
      classes: null,
      sample: null,
      limit: null,
    },
  }
}

export interface WatchedRun {
  outcome: Promise<EngineOutcome>
  progress: { at: number; progress: JobProgress }[]
  /** Resolves at the first progress event matching `predicate`. */
  progressWhere(predicate: (progress: JobProgress) => boolean): Promise<void>
}

export function watchRun(client: EngineClient, job: ResolvedJob): WatchedRun {
  const progress: WatchedRun['progress'] = []
  const waiters: { predicate: (p: JobProgress) => boolean; resolve: () => void }[] = []
  const outcome = client.run(job, (p) => {
    progress.push({ at: performance.now(), progress: p })
    for (const waiter of waiters.filter((w) => w.predicate(p))) waiter.resolve()
  })
  const progressWhere = (predicate: (p: JobProgress) => boolean): Promise<void> =>
    new Promise((resolve) => {
      if (progress.some((entry) => predicate(entry.progress))) resolve()
      else waiters.push({ predicate, resolve })
    })
  return { outcome, progress, progressWhere }
}

export async function withResNet18Folder(): Promise<{
  folder: string
  modelPath: string
  remove: () => Promise<void>
}> {
  const folder = await mkdtemp(join(tmpdir(), 'engine-'))
  const modelPath = join(folder, 'resnet18-32.onnx')
  await writeSynthesizedResNet(modelPath, {
    ...{ depth: 18, numClasses: 10, inputSize: 32, cifarStem: true, bnFolded: true },
    ...{ opset: 17, seed: 5, batch: 'dynamic', externalData: false },
  })
  return { folder, modelPath, remove: () => rm(folder, { recursive: true, force: true }) }
}
