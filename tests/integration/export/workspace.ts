import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatasetRequest, JobRequest, RunDetail } from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { closeWorkspace, openWorkspace } from '../../../db/connection.ts'
import { saveResult } from '../../../db/queries/results.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { compressionResult } from '../../fixtures/data/compression-result.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

export const FMNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]

export interface ExportWorkspace {
  folder: string
  service: WorkbenchService
  runs: { baseline: RunDetail; seed0: RunDetail; seed1: RunDetail }
  /** Evaluations of the baseline's and seed0's epoch-1 checkpoints. */
  evaluations: [number, number]
  activationStats: [number, number]
  weightNoise: [number, number]
  dispose(): void
}

function metricLines(offset: number): string {
  const lines = [0, 1, 2, 3].flatMap((epoch) => [
    { epoch, split: 'train', loss: 2 / (epoch + 1) + offset, accuracy: 0.5 + epoch * 0.1 - offset },
    {
      epoch,
      split: 'test',
      loss: 2.2 / (epoch + 1) + offset,
      accuracy: 0.45 + epoch * 0.1 - offset,
    },
  ])
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n'
}

async function writeRunFolder(
  parent: string,
  name: string,
  tags: string[],
  offset: number,
  modelSeed: number | null,
): Promise<string> {
  const folder = join(parent, name)
  mkdirSync(folder, { recursive: true })
  const runJson = { name, tags, classes: FMNIST_CLASSES, preprocessing: FMNIST_PREPROCESSING }
  writeFileSync(join(folder, 'run.json'), JSON.stringify(runJson))
  writeFileSync(join(folder, 'metrics.jsonl'), metricLines(offset))
  if (modelSeed !== null) await writeSmallResNet(join(folder, 'epoch_1.onnx'), modelSeed)
  return folder
}

/**
 * A workspace with three runs (baseline, seed0 and seed1 tagged 'seeds'), an evaluation and
 * activation statistics of two real checkpoints on 64 Fashion-MNIST test images.
 */
export async function createExportWorkspace(): Promise<ExportWorkspace> {
  const folder = mkdtempSync(join(tmpdir(), 'export-'))
  const engine = new EngineClient()
  const service = new WorkbenchService(join(folder, 'ws'), { engine: () => engine })
  const imported = []
  for (const [name, tags, offset, seed] of [
    ['baseline', ['baseline'], 0.05, 11],
    ['seed0', ['seeds'], 0, 12],
    ['seed1', ['seeds'], -0.02, null],
  ] as const) {
    const runFolder = await writeRunFolder(folder, name, [...tags], offset, seed)
    imported.push(await service.importRun(runFolder, undefined, { check: false }))
  }
  const [baseline, seed0, seed1] = imported.map((r) => service.getRun(r.run.id)) as [
    RunDetail,
    RunDetail,
    RunDetail,
  ]
  const common = {
    modelPath: null,
    dataset: idxTestImages(FMNIST_64_FOLDER, 64, FMNIST_CLASSES),
    preprocessing: null,
    batchSize: 32,
    provider: 'cpu',
  } as const
  const run = async (request: JobRequest): Promise<number> => (await service.runJob(request)).id
  const checkpointIds = [baseline.checkpoints[0].id, seed0.checkpoints[0].id]
  const evaluations = [] as number[]
  const activationStats = [] as number[]
  const weightNoise = [] as number[]
  for (const checkpointId of checkpointIds) {
    weightNoise.push(
      await run({
        kind: 'weight-noise',
        checkpointId,
        ...common,
        sigmas: [0, 0.1],
        samples: 2,
        seed: 0,
        scope: 'weights',
      }),
    )
    evaluations.push(await run({ kind: 'evaluate', checkpointId, ...common }))
    activationStats.push(
      await run({
        kind: 'activation-stats',
        checkpointId,
        ...common,
        taps: null,
        histogramSamplesPerBatch: 512,
        histogramBins: 32,
        seed: 0,
      }),
    )
  }
  return {
    folder,
    service,
    runs: { baseline, seed0, seed1 },
    evaluations: evaluations as [number, number],
    activationStats: activationStats as [number, number],
    weightNoise: weightNoise as [number, number],
    dispose: () => {
      service.close()
      engine.dispose()
      rmSync(folder, { recursive: true, force: true })
    },
  }
}

/** Neuron-subset probes and T3A of the baseline's and seed0's epoch-1 checkpoints. */
export async function addFeatureSpaceResults(
  ws: ExportWorkspace,
): Promise<{ probes: number[]; t3a: number[] }> {
  const dataset: DatasetRequest = idxTestImages(FMNIST_64_FOLDER, 64, FMNIST_CLASSES)
  const common = {
    modelPath: null,
    dataset,
    preprocessing: null,
    batchSize: 32,
    provider: 'cpu',
  } as const
  const holdout = (part: 'rest' | 'holdout'): DatasetRequest => ({
    ...dataset,
    holdout: { fraction: 0.25, seed: 0, part },
  })
  const run = async (request: JobRequest): Promise<number> => (await ws.service.runJob(request)).id
  const probes = [] as number[]
  const t3a = [] as number[]
  for (const checkpointId of [
    ws.runs.baseline.checkpoints[0].id,
    ws.runs.seed0.checkpoints[0].id,
  ]) {
    probes.push(
      await run({
        kind: 'probes',
        checkpointId,
        ...common,
        dataset: holdout('rest'),
        testDataset: holdout('holdout'),
        layer: { tap: null, pooling: 'mean' },
        fractions: [0.05, 0.25, 1],
        seeds: 2,
        validation: { fraction: 0.25, seed: 0 },
        ridgeGrid: null,
        baselines: { pca: true, randomProjection: true },
        exact: null,
      }),
    )
    t3a.push(
      await run({
        kind: 't3a',
        checkpointId,
        ...common,
        domains: null,
        filters: [1, 'all'],
        allBehaviour: 'keep-every-support',
        streamBatch: 8,
        order: { kind: 'shuffle', seed: 0 },
        lastPartialBatch: 'predict',
      }),
    )
  }
  return { probes, t3a }
}

/** Gradient norms (16 images, 2 batches) and weight geometry of the two checkpoints' epoch 1. */
export async function addGradientGeometryResults(
  ws: ExportWorkspace,
): Promise<{ gradients: number[]; weightGeometry: number[] }> {
  const gradients = [] as number[]
  const weightGeometry = [] as number[]
  for (const checkpointId of [
    ws.runs.baseline.checkpoints[0].id,
    ws.runs.seed0.checkpoints[0].id,
  ]) {
    const common = { checkpointId, modelPath: null, provider: 'cpu' } as const
    const dataset = idxTestImages(FMNIST_64_FOLDER, 16, FMNIST_CLASSES)
    const request: JobRequest = {
      kind: 'gradients',
      ...common,
      dataset,
      preprocessing: null,
      batchSize: 8,
      gradientBatch: 8,
      blockOutputs: true,
    }
    gradients.push((await ws.service.runJob(request)).id)
    weightGeometry.push((await ws.service.runJob({ kind: 'weight-geometry', ...common })).id)
  }
  return { gradients, weightGeometry }
}

/**
 * Hand-built activation-compression results (tests/fixtures/data/compression-result.ts) stored
 * for the two checkpoints beside their evaluations' provenance: the charts draw stored payloads.
 */
export function addCompressionResults(ws: ExportWorkspace): number[] {
  const workspace = openWorkspace(join(ws.folder, 'ws'))
  try {
    return ws.evaluations.map((evaluationId, i) => {
      const evaluation = ws.service.getResult(evaluationId)
      const payload = compressionResult()
      return saveResult(workspace.db, {
        jobId: null,
        kind: 'compression',
        checkpointId: evaluation.checkpointId,
        datasetId: evaluation.datasetId,
        requestHash: `compression-export-${i}`,
        provenance: evaluation.provenance as unknown as Record<string, unknown>,
        payload: { ...payload, acgc: { ...payload.acgc!, tolerance: 1 + i } },
        blobs: [],
        headline: { acgcRatio: 6.4, acgcMeanBits: 5, top1: 0.9, numImages: 200 },
      }).id
    })
  } finally {
    closeWorkspace(workspace)
  }
}
