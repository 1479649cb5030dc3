import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CkaRequest, CkaResult } from '../../../electron/api/contract/index.ts'
import { ckaCompute } from '../../../electron/api/analyses/cka/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'cka-service-'))
let engine: EngineClient
let service: WorkbenchService
const checkpoints: number[] = []

function request(
  kind: CkaRequest['kind'],
  ids: number[],
  extra: Partial<CkaRequest> = {},
): CkaRequest {
  return {
    kind,
    checkpointIds: ids,
    referenceId: null,
    gridLayer: null,
    dataset: idxTestImages(FMNIST_64_FOLDER, 40),
    preprocessing: FMNIST_PREPROCESSING,
    taps: null,
    estimator: 'minibatch',
    batchSize: 16,
    orderSeed: 0,
    spatialPooling: 'none',
    provider: 'cpu',
    ...extra,
  }
}

beforeAll(async () => {
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
  for (const seed of [1, 2, 3, 4]) {
    const path = join(temp, `resnet18-${seed}.onnx`)
    await writeSmallResNet(path, seed)
    checkpoints.push((await service.openCheckpoint(path)).id)
  }
}, 60_000)

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe('CKA through the service', () => {
  let within: CkaResult

  it('gives a symmetric layer × layer matrix with a diagonal of 1 over the standard taps', async () => {
    within = await service.computeDerived(ckaCompute, request('within', [checkpoints[0]]))
    const [matrix] = within.matrices
    expect(matrix.rowKeys).toEqual([
      'stem',
      'layer1.0',
      'layer1.1',
      'layer2.0',
      'layer2.1',
      'layer3.0',
      'layer3.1',
      'layer4.0',
      'layer4.1',
      'pooled',
    ])
    expect(within).toMatchObject({ n: 16, batches: 2, numImages: 32, droppedImages: 8, notes: [] })
    matrix.values.forEach((row, i) => {
      expect(row[i]).toBeCloseTo(1, 6)
      row.forEach((value, j) => expect(value).toBeCloseTo(matrix.values[j][i]!, 6))
    })
  }, 120_000)

  it('answers again from the stored Grams without a forward pass', async () => {
    const before = service.engineRuns('cka-grams')
    const started = await service.startDerived(ckaCompute, request('within', [checkpoints[0]]))
    expect(started.jobs).toEqual([])
    expect(started.result?.matrices[0].values).toEqual(within.matrices[0].values)
    expect(service.engineRuns('cka-grams')).toBe(before)
  })

  it('costs one forward pass per new checkpoint in a timeline, and one more for an added checkpoint', async () => {
    const before = service.engineRuns('cka-grams')
    const three = await service.computeDerived(
      ckaCompute,
      request('timeline', checkpoints.slice(0, 3)),
    )
    expect(service.engineRuns('cka-grams') - before).toBe(2)
    expect(three.timeline?.series.map((s) => s.values.at(-1))).toEqual(
      three.timeline?.series.map(() => 1),
    )
    const four = await service.computeDerived(
      ckaCompute,
      request('timeline', checkpoints, { gridLayer: 'layer2.1' }),
    )
    expect(service.engineRuns('cka-grams') - before).toBe(3)
    expect(four.matrices[0].rowKeys).toHaveLength(4)
    expect(four.matrices[0].values[0][0]).toBeCloseTo(1, 6)
  }, 180_000)

  it('compares two checkpoints tap by tap on the same batches', async () => {
    const pair = await service.computeDerived(
      ckaCompute,
      request('pair', [checkpoints[0], checkpoints[1]]),
    )
    const [matrix] = pair.matrices
    expect(matrix.rowLabel).toBe('resnet18-1.onnx')
    expect(matrix.columnLabel).toBe('resnet18-2.onnx')
    for (const value of matrix.values.flat()) expect(value).toBeGreaterThan(0)
  }, 60_000)

  it('computes full-batch linear and debiased CKA with the whole selection as one batch', async () => {
    const linear = await service.computeDerived(
      ckaCompute,
      request('within', [checkpoints[0]], { estimator: 'linear', batchSize: null }),
    )
    expect(linear).toMatchObject({ n: 40, batches: 1, droppedImages: 0 })
    const debiased = await service.computeDerived(
      ckaCompute,
      request('within', [checkpoints[0]], { estimator: 'debiased', batchSize: null }),
    )
    expect(debiased.matrices[0].values[0][0]).toBeCloseTo(1, 6)
    expect(debiased.matrices[0].values[0][5]).not.toBeCloseTo(linear.matrices[0].values[0][5]!, 3)
  }, 60_000)

  it('taps any node or tensor of the graph by its name, beside layer keys', async () => {
    const conv = '/layer1/layer1.0/conv1/Conv'
    const relu = '/layer1/layer1.0/relu/Relu_output_0'
    const picked = await service.computeDerived(
      ckaCompute,
      request('within', [checkpoints[0]], { taps: ['layer1.0', conv, relu] }),
    )
    const [matrix] = picked.matrices
    expect(matrix.rowKeys).toEqual(['layer1.0', conv, relu])
    matrix.values.forEach((row, i) => expect(row[i]).toBeCloseTo(1, 6))
    // The ReLU of the conv's (BN-folded) output keeps most of its structure: similar, not equal.
    expect(matrix.values[1][2]).toBeGreaterThan(0.5)
    expect(matrix.values[1][2]).toBeLessThan(0.9999)
    await expect(
      service.computeDerived(
        ckaCompute,
        request('within', [checkpoints[0]], { taps: ['/no/such/Conv'] }),
      ),
    ).rejects.toThrow(
      /has no layer '\/no\/such\/Conv'; known keys: .*, or the name of a node or tensor/,
    )
  }, 60_000)

  it('refuses batches of fewer than 4 images and a wrong number of checkpoints', async () => {
    await expect(
      service.computeDerived(ckaCompute, request('within', [checkpoints[0]], { batchSize: 3 })),
    ).rejects.toThrow(/at least 4 images/)
    await expect(
      service.startDerived(ckaCompute, request('pair', [checkpoints[0]])),
    ).rejects.toThrow(/needs two checkpoints/)
  })
})
