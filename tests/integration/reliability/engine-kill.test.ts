import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeIdxImages } from '../../fixtures/data/idx-images.ts'
import type { EvaluateRequest, JobInfo } from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { SeededRandom } from '../../../native-models/surgery/prng.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'

const KILLS = 20
const temp = mkdtempSync(join(tmpdir(), 'engine-kill-'))
const modelPath = join(temp, 'resnet18.onnx')
const datasetPath = join(temp, 'digits')
const random = new SeededRandom(20261125, 'kill points')
let engine: EngineClient
let service: WorkbenchService

/** A 28×28 uint8 IDX image set of `count` seeded images with 10 classes. */
function writeIdxDataset(count: number): void {
  writeIdxImages(datasetPath, count, () => Math.floor(random.nextFloat64() * 256))
}

function evaluation(limit: number): EvaluateRequest {
  return {
    kind: 'evaluate',
    checkpointId: null,
    modelPath,
    dataset: {
      path: datasetPath,
      format: 'idx',
      split: 'test',
      holdout: null,
      classes: null,
      sample: null,
      limit,
    },
    preprocessing: {
      resize: null,
      centerCrop: null,
      pad: 2,
      grayToRgb: true,
      mean: [0.5],
      std: [0.25],
      inputSize: [32, 32],
    },
    batchSize: 4,
    provider: 'cpu',
  }
}

/** Starts a job and kill -9s the engine after a random number of progress reports. */
async function runAndKill(limit: number): Promise<JobInfo | null> {
  const killAfter = 1 + Math.floor(random.nextFloat64() * 6)
  let reports = 0
  const started = await service.startJob(evaluation(limit), (job) => {
    if (job.status !== 'running' || job.done === 0) return
    reports += 1
    if (reports === killAfter && engine.pid !== undefined) process.kill(engine.pid, 'SIGKILL')
  })
  return (await started.completion).job
}

beforeAll(async () => {
  const request = {
    depth: 18,
    numClasses: 10,
    inputSize: 32,
    cifarStem: false,
    bnFolded: true,
    opset: 17,
    seed: 5,
    batch: 'dynamic',
    externalData: false,
  } as const
  await writeSynthesizedResNet(modelPath, request)
  writeIdxDataset(512)
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
})

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe(`${KILLS} kill -9s of the engine during jobs`, () => {
  it('fail each running job with ENGINE_CRASHED, let the next job succeed, and leave the workspace whole', async () => {
    let kills = 0
    let limit = 200
    while (kills < KILLS) {
      limit += 1
      const killed = await runAndKill(limit)
      if (killed?.status === 'done') continue // finished before its kill point: draw again
      expect(killed?.status).toBe('failed')
      expect(killed?.error?.code).toBe('ENGINE_CRASHED')
      expect(killed?.resultId).toBeNull()
      kills += 1
      const next = await service.runJob(evaluation(limit + 1000))
      expect(next.payload).toMatchObject({ numImages: limit + 1000 > 512 ? 512 : limit + 1000 })
    }
    const db = new Database(join(temp, 'ws', 'workspace.sqlite'), { readonly: true })
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      const partial = db
        .prepare(
          "SELECT count(*) FROM results r JOIN jobs j ON r.job_id = j.id WHERE j.status <> 'done'",
        )
        .pluck()
        .get()
      expect(partial).toBe(0)
      const failed = db
        .prepare(
          "SELECT count(*) FROM jobs WHERE status = 'failed' AND error_code = 'ENGINE_CRASHED'",
        )
        .pluck()
        .get()
      expect(failed).toBe(KILLS)
    } finally {
      db.close()
    }
  }, 600_000)
})
