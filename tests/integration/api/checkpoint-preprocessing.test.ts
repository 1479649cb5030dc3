// A model opened on its own has no run.json: its preprocessing is set in the app (checked as
// run.json's), previewed on real images as the model sees them, and used by its jobs.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatasetRequest, EvaluateRequest } from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'checkpoint-preprocessing-'))
let engine: EngineClient
let service: WorkbenchService
let checkpointId: number

const dataset: DatasetRequest = {
  path: FMNIST_64_FOLDER,
  format: 'idx',
  split: 't10k',
  holdout: null,
  classes: null,
  sample: null,
  limit: 8,
}

beforeAll(async () => {
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
  const model = join(temp, 'alone.onnx')
  await writeSmallResNet(model, 9)
  checkpointId = (await service.openCheckpoint(model)).id
}, 60_000)

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

const evaluate: () => EvaluateRequest = () => ({
  kind: 'evaluate',
  checkpointId,
  modelPath: null,
  dataset,
  preprocessing: null,
  batchSize: 8,
  provider: 'cpu',
})

describe('the preprocessing of a checkpoint opened on its own', () => {
  it('is asked for, naming where to set it, before it is set', async () => {
    await expect(service.runJob(evaluate())).rejects.toMatchObject({
      code: 'PREPROCESSING_MISSING',
      message: expect.stringContaining('set it for the checkpoint') as unknown,
    })
  })

  it('is refused with the field to fix when it is not usable', () => {
    const bad = { ...FMNIST_PREPROCESSING, std: [0] }
    expect(() => service.updateCheckpoint(checkpointId, { preprocessing: bad })).toThrow(
      /preprocessing\.std/,
    )
  })

  it('is previewed on real images as the model sees them, and a wrong size is refused', async () => {
    const preview = await service.previewDataset({
      dataset,
      preprocessing: FMNIST_PREPROCESSING,
      count: 3,
    })
    expect(preview).toHaveLength(3)
    expect(preview[0]).toMatchObject({ position: 0, inputSize: [32, 32] })
    expect(preview[0].modelInput).toMatch(/^data:image\/png;base64,/)
    const unpadded = { ...FMNIST_PREPROCESSING, pad: 0 }
    await expect(
      service.previewDataset({ dataset, preprocessing: unpadded, count: 1 }),
    ).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' })
  })

  it('is stored with the checkpoint and used by its jobs', async () => {
    const updated = service.updateCheckpoint(checkpointId, { preprocessing: FMNIST_PREPROCESSING })
    expect(updated.preprocessing).toEqual(FMNIST_PREPROCESSING)
    const result = await service.runJob(evaluate())
    expect(result.provenance.preprocessing).toEqual(FMNIST_PREPROCESSING)
  }, 60_000)
})
