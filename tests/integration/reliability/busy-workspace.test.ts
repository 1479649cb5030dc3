// Another process holding the workspace's write lock (a long import) while a job runs: the host
// stays up, progress writes are skipped, and the job's result is stored once the lock is free.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeIdxImages } from '../../fixtures/data/idx-images.ts'
import type { EvaluateRequest, JobInfo } from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { FMNIST_PREPROCESSING, writeSmallResNet } from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'busy-workspace-'))
const modelPath = join(temp, 'resnet18.onnx')
const datasetPath = join(temp, 'images')
const IMAGES = 1600

let engine: EngineClient
let service: WorkbenchService

/** A child process that takes the write lock, says so, holds it `ms`, then commits. */
function holdWriteLock(file: string, ms: number): Promise<void> {
  const script = `
    const Database = require('better-sqlite3')
    const db = new Database(process.argv[1], { timeout: 20000 })
    db.exec('BEGIN IMMEDIATE')
    process.stdout.write('locked\\n')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]))
    db.exec('COMMIT')
    db.close()`
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('error', reject)
    child.once('exit', (code) => code !== 0 && reject(new Error(`lock holder exited ${code}`)))
  })
}

beforeAll(async () => {
  await writeSmallResNet(modelPath, 3)
  writeIdxImages(datasetPath, IMAGES)
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
}, 60_000)

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe('a job while another process holds the write lock', () => {
  it('keeps the host alive and stores the result once the lock is released', async () => {
    const request: EvaluateRequest = {
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
        limit: null,
      },
      preprocessing: FMNIST_PREPROCESSING,
      batchSize: 8,
      provider: 'cpu',
    }
    const seen: JobInfo[] = []
    const lock: { held: Promise<void> | null; at: string | null } = { held: null, at: null }
    const started = await service.startJob(request, (job) => {
      seen.push(job)
      // Lock the workspace from another process as soon as the job makes progress.
      if (job.done > 0 && lock.held === null) {
        lock.held = holdWriteLock(join(temp, 'ws', 'workspace.sqlite'), 7000)
        void lock.held.then(() => (lock.at = new Date().toISOString()))
      }
    })
    const { job, result } = await started.completion
    await lock.held
    expect(job?.status).toBe('done')
    expect(result?.jobId).toBe(job?.id)
    expect(service.listJobs().find((j) => j.id === job?.id)?.status).toBe('done')
    // The lock was held while the job ran: some progress could not be written meanwhile.
    expect(seen.some((j) => j.done > 0 && j.done < j.total)).toBe(true)
    expect(Date.parse(job!.finishedAt!) - Date.parse(lock.at!)).toBeGreaterThan(0)
  }, 120_000)

  it('opens an up-to-date workspace and reads it without waiting for the lock', async () => {
    await holdWriteLock(join(temp, 'ws', 'workspace.sqlite'), 4000)
    const startedAt = performance.now()
    const reader = new WorkbenchService(join(temp, 'ws'))
    try {
      expect(reader.listRuns()).toEqual([])
      expect(reader.listJobs().length).toBeGreaterThan(0)
      expect(performance.now() - startedAt).toBeLessThan(1000)
    } finally {
      reader.close()
    }
  }, 30_000)
})
