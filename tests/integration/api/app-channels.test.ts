import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluateRequest, ResultInfo } from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'app-channels-'))
const modelPath = join(temp, 'resnet18.onnx')
let engine: EngineClient
let service: WorkbenchService

const request: EvaluateRequest = {
  kind: 'evaluate',
  checkpointId: null,
  modelPath,
  dataset: idxTestImages(FMNIST_64_FOLDER, 32),
  preprocessing: FMNIST_PREPROCESSING,
  batchSize: 16,
  provider: 'cpu',
}

beforeAll(async () => {
  await writeSmallResNet(modelPath, 4)
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
})

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe('results in the library', () => {
  let first: ResultInfo

  it('lists a stored evaluation with its headline numbers and dataset name', async () => {
    first = await service.runJob(request)
    const [summary] = service.listResults({ checkpointId: first.checkpointId! })
    const payload = first.payload as { top1: number; nll: number }
    expect(summary).toMatchObject({ id: first.id, kind: 'evaluate', runId: null })
    expect(summary.headline).toMatchObject({ numImages: 32, top1: payload.top1, nll: payload.nll })
    expect(summary.datasetName).toMatch(/eval-fmnist-64 \(t10k, first 32\)/)
    expect(service.listResults({ kind: 'activation-stats' })).toEqual([])
  })

  it('recomputes a result as a new job that replaces it once stored', async () => {
    const started = await service.recomputeResult(first.id)
    expect(started.job).not.toBeNull()
    const { result } = await started.completion
    expect(result!.jobId).toBe(started.job!.id)
    expect(result!.jobId).not.toBe(first.jobId)
    expect(result!.payload).toEqual(first.payload)
    expect(service.listResults({}).map((r) => r.id)).toEqual([result!.id])
    first = result!
  })

  it('deletes a result so an identical request computes again', async () => {
    await service.deleteResult(first.id)
    expect(service.listResults({})).toEqual([])
    await expect(service.deleteResult(first.id)).rejects.toThrow(/No result/)
    const started = await service.startJob(request)
    expect(started.job).not.toBeNull()
    await started.completion
  })

  it('estimates images, batches and seconds from the jobs it has timed', async () => {
    const estimate = await service.estimateJob({ ...request, batchSize: null })
    expect(estimate.numImages).toBe(32)
    expect(estimate.seconds).toBeGreaterThan(0)
    expect(estimate.basis).toMatch(/Timed from \d+ earlier evaluate job/)
  })
})

describe('datasets, checkpoints and runs in the library', () => {
  it('adds a dataset once with its image count, classes and fingerprint', async () => {
    const entry = await service.addDataset(idxTestImages(FMNIST_64_FOLDER, 20), 'fmnist slice')
    expect(entry).toMatchObject({ name: 'fmnist slice', numImages: 20, isSynthetic: false })
    expect(entry.classes).toHaveLength(10)
    expect(entry.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(service.listDatasets().map((d) => d.name)).toContain('fmnist slice')
  })

  it('opens a loose model file as a checkpoint', async () => {
    const checkpoint = await service.openCheckpoint(modelPath)
    expect(checkpoint).toMatchObject({ runId: null, path: modelPath })
  })
})

describe('the example workspace', () => {
  it('is created, labeled synthetic, and opened in under a minute', async () => {
    const folder = join(temp, 'example')
    const started = Date.now()
    const report = await service.createExample(folder)
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(service.folder).toBe(folder)
    expect(report.workspace).toMatchObject({ folder, runs: 1, checkpoints: 3 })
    expect(report.dataset).toMatchObject({ numImages: 160, isSynthetic: true })
    const run = service.getRun(report.runId)
    expect(run.tags).toContain('synthetic')
    expect(run.defaultDataset?.path).toBe(report.dataset.path)
    expect(existsSync(join(report.dataset.path, 'SYNTHETIC.txt'))).toBe(true)
  }, 120_000)

  it('renames and retags a run, refusing an empty name', () => {
    const [run] = service.listRuns()
    const updated = service.updateRun(run.id, { tags: ['seeds', ' synthetic ', ''] })
    expect(updated.tags).toEqual(['seeds', 'synthetic'])
    expect(() => service.updateRun(run.id, { name: ' ' })).toThrow(/must be a non-empty string/)
  })
})
