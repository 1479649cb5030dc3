// An evaluation keeps each image's result: its numbers carry 95 % intervals, and two checkpoints
// evaluated on the same images are compared image by image (paired bootstrap, McNemar).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evaluationImages } from '../../../electron/api/analyses/evaluate/images.ts'
import { evaluationPair } from '../../../electron/api/analyses/evaluate/paired.ts'
import type {
  EvaluateRequest,
  EvaluationResult,
  ResultInfo,
} from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'evaluation-intervals-'))
let engine: EngineClient
let service: WorkbenchService
const results: ResultInfo<EvaluationResult>[] = []

function request(modelPath: string): EvaluateRequest {
  return {
    kind: 'evaluate',
    checkpointId: null,
    modelPath,
    dataset: {
      path: FMNIST_64_FOLDER,
      format: 'idx',
      split: 't10k',
      holdout: null,
      classes: null,
      sample: null,
      limit: null,
    },
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: 16,
    provider: 'cpu',
  }
}

beforeAll(async () => {
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
  for (const seed of [3, 4]) {
    const model = join(temp, `model-${seed}.onnx`)
    await writeSmallResNet(model, seed)
    results.push((await service.runJob(request(model))) as ResultInfo<EvaluationResult>)
  }
}, 120_000)

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe('an evaluation with per-image results', () => {
  it('stores 95 % intervals around every headline number, also in the listed headline', () => {
    const [first] = results
    const { intervals, top1, nll } = first.payload
    expect(intervals?.confidence).toBe(0.95)
    expect(intervals!.top1.lower).toBeLessThanOrEqual(top1)
    expect(intervals!.nll.upper).toBeGreaterThanOrEqual(nll)
    const summary = service.listResults({}).find((r) => r.id === first.id)!
    expect(summary.headline).toMatchObject({
      top1Lower: intervals!.top1.lower,
      top1Upper: intervals!.top1.upper,
    })
  })

  it('compares two checkpoints image by image through evaluate:paired', async () => {
    const [a, b] = results
    const started = await service.startDerived(evaluationPair, {
      baselineResultId: a.id,
      resultId: b.id,
    })
    const paired = started.result!
    expect(paired.numImages).toBe(64)
    expect(paired.deltas.top1.estimate).toBeCloseTo(b.payload.top1 - a.payload.top1, 12)
    expect(paired.deltas.nll.estimate).toBeCloseTo(b.payload.nll - a.payload.nll, 5)
    const { onlyBaseline, onlyResult } = paired.mcnemar
    expect((onlyResult - onlyBaseline) / 64).toBeCloseTo(paired.deltas.top1.estimate, 12)
  })

  it('opens the images of a confusion cell, with thumbnails, and the misclassified ones', async () => {
    const [a, b] = results
    const { confusion, top1, numImages } = a.payload
    const row = confusion.findIndex((r) =>
      r.some((count, p) => count > 0 && p !== confusion.indexOf(r)),
    )
    const predicted = confusion[row].findIndex((count, p) => count > 0 && p !== row)
    const cell = await service.startDerived(evaluationImages, {
      resultId: a.id,
      filter: { kind: 'confusion', trueClass: row, predictedClass: predicted },
      limit: 4,
      thumbnails: true,
    })
    const images = cell.result!
    expect(images.total).toBe(confusion[row][predicted])
    expect(images.images.length).toBe(Math.min(4, images.total))
    for (const image of images.images) {
      expect(image).toMatchObject({ label: row, predicted })
      expect(image.thumbnail).toMatch(/^data:image\/png;base64,/)
      expect(image.source).toMatch(/t10k-images-idx3-ubyte(\.gz)?#\d+$/)
    }
    const wrong = await service.startDerived(evaluationImages, {
      resultId: a.id,
      filter: { kind: 'misclassified' },
      limit: null,
      thumbnails: false,
    })
    expect(wrong.result!.total).toBe(Math.round((1 - top1) * numImages))
    const onlyB = await service.startDerived(evaluationImages, {
      resultId: b.id,
      filter: { kind: 'only-right', otherResultId: a.id },
      limit: null,
      thumbnails: false,
    })
    const paired = await service.startDerived(evaluationPair, {
      baselineResultId: a.id,
      resultId: b.id,
    })
    expect(onlyB.result!.total).toBe(paired.result!.mcnemar.onlyResult)
  })
})
