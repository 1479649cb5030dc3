// An evaluation keeps each image's result: its numbers carry 95 % intervals, and two checkpoints
// evaluated on the same images are compared image by image (paired bootstrap, McNemar).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
})
