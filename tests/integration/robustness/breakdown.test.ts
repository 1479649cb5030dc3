// Where it breaks: one checkpoint's per-tap CKA between clean and corrupted activations of the
// same images, through the service and real ORT on a small ResNet18, checked against NumPy's
// linear CKA of the activations themselves (dumped here through ORT and compared in float64).
// The dumped corrupted images are drawn with the seed of each image's position in the selection,
// as a sweep cell draws them, so the match also pins the Gram job to those draws.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { corruptionBreakdown } from '../../../electron/api/analyses/robustness/breakdown.ts'
import { ckaCompute } from '../../../electron/api/analyses/cka/index.ts'
import type {
  CkaRequest,
  CorruptionBreakdown,
  CorruptionBreakdownRequest,
  CorruptionCell,
} from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { createBatchLoader } from '../../../native-models/data/batch-loader.ts'
import { openDataset } from '../../../native-models/data/index.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { pinnedBatchOrder } from '../../../native-models/engine/jobs/cka/batch-order.ts'
import { resolveCkaTaps } from '../../../native-models/engine/jobs/cka/settings.ts'
import { loadModel, summarizeLoadedModel } from '../../../native-models/onnx/index.ts'
import { createSession } from '../../../native-models/runtime/index.ts'
import { buildGramGraph } from '../../../native-models/surgery/gram-graph.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const PYTHON = '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('../../reference/breakdown_numpy_check.py', import.meta.url))
const temp = mkdtempSync(join(tmpdir(), 'breakdown-'))
const model = join(temp, 'small.onnx')
const IMAGES = 32
let engine: EngineClient
let service: WorkbenchService
let checkpointId: number

function breakdownRequest(
  extra: Partial<CorruptionBreakdownRequest> = {},
): CorruptionBreakdownRequest {
  return {
    checkpointId,
    dataset: idxTestImages(FMNIST_64_FOLDER, IMAGES),
    preprocessing: FMNIST_PREPROCESSING,
    provider: 'cpu',
    corruption: 'gaussian_noise',
    severities: [1, 3, 5],
    seed: 4,
    jpegQuality: null,
    padding: 'before',
    taps: null,
    estimator: 'linear',
    batchSize: null,
    orderSeed: 0,
    spatialPooling: 'none',
    // Random weights keep CKA high: 0.99 puts the break inside the network at the higher severities.
    threshold: 0.99,
    ...extra,
  }
}

/** Full-batch linear CKA of the checkpoint with itself on the breakdown's images. */
const pairRequest = (): CkaRequest => ({
  kind: 'pair',
  checkpointIds: [checkpointId, checkpointId],
  referenceId: null,
  gridLayer: null,
  dataset: idxTestImages(FMNIST_64_FOLDER, IMAGES),
  preprocessing: FMNIST_PREPROCESSING,
  taps: null,
  estimator: 'linear',
  batchSize: null,
  orderSeed: 0,
  spatialPooling: 'none',
  provider: 'cpu',
})

const cellOf = (severity: CorruptionCell['severity']): CorruptionCell => ({
  name: 'gaussian_noise',
  severity,
  seed: 4,
  jpegQuality: null,
  padding: 'before',
})

/** Every tap's activations of the selection in the pinned order (one batch), per cell. */
async function activations(cells: (CorruptionCell | null)[]): Promise<Float32Array[][]> {
  const loaded = await loadModel(model)
  const taps = resolveCkaTaps(summarizeLoadedModel(loaded), null)
  const graph = buildGramGraph(loaded.model, taps, { pooling: 'none', exposeActivations: true })
  const session = await createSession(graph.model, { intraOpNumThreads: 2 })
  const selection = await openDataset(idxTestImages(FMNIST_64_FOLDER, IMAGES))
  const order = Array.from(pinnedBatchOrder(selection.size, IMAGES, 0).positions)
  const perCell: Float32Array[][] = []
  try {
    for (const corruption of cells) {
      const loader = createBatchLoader(selection, {
        preprocessing: FMNIST_PREPROCESSING,
        batchSize: IMAGES,
        order,
        corruption,
      })
      try {
        for await (const batch of loader) {
          const outputs = await session.run(
            { [session.inputNames[0]]: { data: batch.images, dims: batch.dims } },
            graph.taps.map((t) => t.activation!),
          )
          perCell.push(graph.taps.map((tap) => Float32Array.from(outputs[tap.activation!].data)))
        }
      } finally {
        await loader.close()
      }
    }
  } finally {
    await session.release()
  }
  return perCell
}

/** NumPy float64 linear CKA of clean vs each severity's activations, per tap. */
async function numpyCka(keys: string[], severities: CorruptionCell['severity'][]) {
  const folder = join(temp, 'activations')
  mkdirSync(folder, { recursive: true })
  const sides: [string, CorruptionCell | null][] = [
    ['clean', null],
    ...severities.map((s): [string, CorruptionCell] => [`s${s}`, cellOf(s)]),
  ]
  const perSide = await activations(sides.map(([, cell]) => cell))
  sides.forEach(([side], i) =>
    perSide[i].forEach((a, t) => writeFileSync(join(folder, `${side}-${t}.f32`), a)),
  )
  const manifest = {
    n: IMAGES,
    taps: keys.map((key, t) => ({ key, features: perSide[0][t].length / IMAGES })),
    sides: sides.map(([side]) => side),
  }
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest))
  const run = spawnSync(PYTHON, [SCRIPT, folder], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`breakdown_numpy_check.py failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as Record<string, number[]>
}

beforeAll(async () => {
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
  await writeSmallResNet(model, 3)
  checkpointId = (await service.openCheckpoint(model)).id
}, 60_000)

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe('per-tap CKA between clean and corrupted activations', () => {
  let breakdown: CorruptionBreakdown

  it('is exactly 1 at every tap for clean vs clean through the same Gram path', async () => {
    const result = await service.computeDerived(ckaCompute, pairRequest())
    const [matrix] = result.matrices
    expect(matrix.values.map((row, i) => row[i])).toEqual(matrix.rowKeys.map(() => 1))
  }, 120_000)

  it('runs one Gram job per severity and reuses the clean Grams', async () => {
    const before = service.engineRuns('cka-grams')
    breakdown = await service.computeDerived(corruptionBreakdown, breakdownRequest())
    // The clean Grams were stored by the test before; only the three corrupted sides run.
    expect(service.engineRuns('cka-grams') - before).toBe(3)
    expect(breakdown.taps).toEqual([
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
    expect(breakdown).toMatchObject({ n: IMAGES, batches: 1, numImages: IMAGES, notes: [] })
    expect(breakdown.severities.map((s) => s.severity)).toEqual([1, 3, 5])
    expect(new Set(breakdown.severities.map((s) => s.gramResultId)).size).toBe(3)
  }, 240_000)

  it('equals the diagonal of a pair CKA whose columns are corrupted (corruptionB)', async () => {
    const before = service.engineRuns('cka-grams')
    const pair = await service.computeDerived(ckaCompute, {
      ...pairRequest(),
      corruptionB: cellOf(3),
    })
    expect(service.engineRuns('cka-grams')).toBe(before)
    const [matrix] = pair.matrices
    expect(matrix.columnLabel).toMatch(/under gaussian_noise severity 3$/)
    expect(pair.gramResultIds).toEqual([
      breakdown.cleanGramResultId,
      breakdown.severities[1].gramResultId,
    ])
    expect(matrix.values.map((row, i) => row[i])).toEqual(breakdown.severities[1].values)
  })

  it('matches NumPy’s linear CKA of the clean and corrupted activations to 1e-6', async () => {
    const reference = await numpyCka(breakdown.taps, [1, 3, 5])
    let worst = 0
    for (const entry of breakdown.severities) {
      const expected = reference[`s${entry.severity}`]
      entry.values.forEach((value, t) => {
        worst = Math.max(worst, Math.abs(value! - expected[t]))
      })
    }
    expect(worst).toBeLessThan(1e-6)
  }, 240_000)

  it('falls at every tap as the severity grows and names the first tap below the threshold', () => {
    const [s1, s3, s5] = breakdown.severities
    breakdown.taps.forEach((_, t) => {
      expect(s1.values[t]!).toBeGreaterThan(s3.values[t]!)
      expect(s3.values[t]!).toBeGreaterThan(s5.values[t]!)
    })
    for (const entry of breakdown.severities) {
      const index = entry.values.findIndex((v) => v !== null && v < breakdown.threshold)
      expect(entry.breaksAt).toBe(index === -1 ? null : breakdown.taps[index])
    }
    const depth = (key: string | null) => (key === null ? Infinity : breakdown.taps.indexOf(key))
    expect(depth(s5.breaksAt)).toBeLessThan(Infinity)
    expect(depth(s5.breaksAt)).toBeLessThanOrEqual(depth(s3.breaksAt))
  })

  it('answers again from the stored Grams, and a new severity runs only its own job', async () => {
    const before = service.engineRuns('cka-grams')
    const again = await service.computeDerived(corruptionBreakdown, breakdownRequest())
    expect(service.engineRuns('cka-grams')).toBe(before)
    expect(again.severities).toEqual(breakdown.severities)
    const more = await service.computeDerived(
      corruptionBreakdown,
      breakdownRequest({ severities: [5, 2] }),
    )
    expect(service.engineRuns('cka-grams') - before).toBe(1)
    expect(more.severities.map((s) => s.severity)).toEqual([2, 5])
    expect(more.severities[1].values).toEqual(breakdown.severities[2].values)
  }, 120_000)

  it('gives minibatch values with a 95 % interval over resampled batches', async () => {
    const minibatch = await service.computeDerived(
      corruptionBreakdown,
      breakdownRequest({ estimator: 'minibatch', batchSize: 8, severities: [3] }),
    )
    expect(minibatch).toMatchObject({ n: 8, batches: 4 })
    const [entry] = minibatch.severities
    entry.values.forEach((value, t) => {
      const interval = entry.intervals![t]!
      expect(interval.lower).toBeLessThanOrEqual(value! + 1e-12)
      expect(interval.upper).toBeGreaterThanOrEqual(value! - 1e-12)
    })
  }, 240_000)
})

describe('bad breakdown and corrupted-CKA requests', () => {
  it('refuses a threshold outside 0 to 1', async () => {
    await expect(
      service.computeDerived(corruptionBreakdown, breakdownRequest({ threshold: 1.5 })),
    ).rejects.toThrow(/threshold must be a CKA value from 0 to 1/)
  })

  it('refuses an empty or out-of-range severity list', async () => {
    for (const severities of [
      [],
      [0],
      [6],
    ] as unknown as CorruptionBreakdownRequest['severities'][])
      await expect(
        service.computeDerived(corruptionBreakdown, breakdownRequest({ severities })),
      ).rejects.toThrow(/severities must list one or more of 1, 2, 3, 4, 5/)
  })

  it('refuses an unknown corruption, naming the ones there are', async () => {
    const request = breakdownRequest({ corruption: 'rain' as 'fog' })
    await expect(service.computeDerived(corruptionBreakdown, request)).rejects.toThrow(
      /Unknown corruption 'rain': use gaussian_noise/,
    )
  })

  it('refuses an unknown estimator and a batch size that does not fit it', async () => {
    await expect(
      service.computeDerived(
        corruptionBreakdown,
        breakdownRequest({ estimator: 'cosine' as 'linear' }),
      ),
    ).rejects.toThrow(/Unknown estimator 'cosine': use minibatch, linear, debiased/)
    await expect(
      service.computeDerived(
        corruptionBreakdown,
        breakdownRequest({ estimator: 'minibatch', batchSize: null }),
      ),
    ).rejects.toThrow(/batchSize must be the minibatch n \(4 or more\)/)
  })

  it('refuses corruptionB on a CKA that is not a pair', async () => {
    const request: CkaRequest = {
      ...pairRequest(),
      kind: 'within',
      checkpointIds: [checkpointId],
      corruptionB: cellOf(3),
    }
    await expect(service.computeDerived(ckaCompute, request)).rejects.toThrow(
      /corruptionB .* needs a 'pair' CKA; got 'within'/,
    )
  })
})
