// The gradients job in a real workspace on a synthesized BN-kept ResNet18 and Fashion-MNIST
// images: its per-layer norms are formed per batch from the parameters' gradients (checked here
// against a graph that outputs the gradient tensors themselves), it is stored, listed, exported
// and answered again; a graph it cannot differentiate fails the job with the node named.
import { spawnSync } from 'node:child_process'
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  GradientsRequest,
  GradientsResult,
  ResultInfo,
  SynthRequest,
  WeightGeometryResult,
} from '../../../electron/api/contract/index.ts'
import { exportData } from '../../../electron/api/export/index.ts'
import { parseTidyCsv } from '../../../electron/api/export/tidy-csv.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { openDataset } from '../../../native-models/data/index.ts'
import { openCachedBatches } from '../../../native-models/data/tensor-cache-batches.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { analyzeModel, loadModel } from '../../../native-models/onnx/index.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { openGradientSession } from '../../../native-models/runtime/gradient-session.ts'
import { buildBackwardGraph } from '../../../native-models/surgery/backward/backward-graph.ts'
import { synthesizeResNet, writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
} from '../../fixtures/data/fmnist.ts'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const temp = mkdtempSync(join(tmpdir(), 'gradients-job-'))
const modelPath = join(temp, 'resnet18.bn.onnx')
const workspace = join(temp, 'ws')
const IMAGES = 18
const GRADIENT_BATCH = 4
const SYNTH: SynthRequest = {
  depth: 18,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded: false,
  opset: 17,
  seed: 4,
  batch: 'dynamic',
  externalData: false,
}
let engine: EngineClient
let service: WorkbenchService
let result: ResultInfo<GradientsResult>

const dataset = idxTestImages(FMNIST_64_FOLDER, IMAGES)

const request = (checkpointId: number): GradientsRequest => ({
  kind: 'gradients',
  checkpointId,
  modelPath: null,
  dataset,
  preprocessing: FMNIST_PREPROCESSING,
  batchSize: null,
  provider: 'cpu',
  gradientBatch: GRADIENT_BATCH,
  blockOutputs: true,
})

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/resnet-workbench.js', '-w', workspace, ...args], {
    cwd: repo,
    encoding: 'utf8',
  })
}

beforeAll(async () => {
  await writeSynthesizedResNet(modelPath, SYNTH)
  engine = new EngineClient()
  service = new WorkbenchService(workspace, { engine: () => engine })
  const checkpoint = await service.openCheckpoint(modelPath)
  result = (await service.runJob(request(checkpoint.id))) as ResultInfo<GradientsResult>
}, 120_000)

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

/** Every full batch's gradient tensors, from a graph that outputs them, and the batch losses. */
async function gradientTensors(): Promise<{ norms: Map<string, number>[]; losses: number[] }> {
  const graph = buildBackwardGraph(analyzeModel(await loadModel(modelPath)), {
    parameterOutput: 'gradient',
    blockOutputNorms: false,
  })
  const session = await openGradientSession(graph, { intraOpNumThreads: 1 })
  const opened = await openDataset(dataset)
  const { loader } = await openCachedBatches(opened, {
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: GRADIENT_BATCH,
    cacheFolder: null,
  })
  const norms: Map<string, number>[] = []
  const losses: number[] = []
  try {
    for await (const batch of loader) {
      if (batch.dims[0] < GRADIENT_BATCH) continue
      const run = await session.run(batch.images, batch.dims, batch.labels)
      losses.push(run.loss)
      norms.push(
        new Map(
          graph.parameters.map((p, i) => [
            p.initializer,
            Math.sqrt(run.gradients![i].reduce((sum, g) => sum + g * g, 0)),
          ]),
        ),
      )
    }
  } finally {
    await loader.close()
    await session.release()
  }
  return { norms, losses }
}

function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)
  return { mean, std: Math.sqrt(variance) }
}

const relative = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want)

describe('the gradients job', () => {
  it('counts full batches only and records the images left out', () => {
    const p = result.payload
    expect(p).toMatchObject({ numImages: IMAGES, gradientBatch: GRADIENT_BATCH, batches: 4 })
    expect(result.provenance.parameters['droppedImages']).toBe(IMAGES - 4 * GRADIENT_BATCH)
    expect(p.classes).toHaveLength(10)
    expect(p).toMatchObject({ isBnFolded: false, batchNormMode: 'inference' })
    expect(result.provenance.dataset).toMatchObject({ path: FMNIST_64_FOLDER, limit: IMAGES })
    expect(result.datasetId).not.toBeNull()
  })

  it("forms a layer's norm per batch from its parameters' gradients, then averages", async () => {
    const { norms, losses } = await gradientTensors()
    expect(norms).toHaveLength(result.payload.batches)
    const p = result.payload
    for (const parameter of p.parameters) {
      const expected = meanStd(norms.map((batch) => batch.get(parameter.initializer)!))
      expect(relative(parameter.norm.mean, expected.mean)).toBeLessThan(1e-5)
      expect(relative(parameter.norm.std, expected.std)).toBeLessThan(1e-4)
    }
    const layerOf = new Map(p.parameters.map((q) => [q.initializer, q]))
    let perBatchError = 0
    let ofMeansError = 0
    for (const layer of p.layers) {
      const members = [...layerOf.values()].filter((q) => q.layerKey === layer.layerKey)
      const perBatch = norms.map((batch) =>
        Math.sqrt(members.reduce((s, q) => s + batch.get(q.initializer)! ** 2, 0)),
      )
      const expected = meanStd(perBatch)
      expect(relative(layer.norm.mean, expected.mean)).toBeLessThan(1e-5)
      expect(relative(layer.norm.std, expected.std)).toBeLessThan(1e-4)
      // The norm of the mean norms is another (nearby) number: the job must not have formed it.
      const ofMeans = Math.sqrt(members.reduce((s, q) => s + q.norm.mean ** 2, 0))
      perBatchError += Math.abs(layer.norm.mean - expected.mean)
      ofMeansError += Math.abs(layer.norm.mean - ofMeans)
      const weights = members.filter((q) => q.role === 'weight')
      const weightsOnly = meanStd(
        norms.map((batch) =>
          Math.sqrt(weights.reduce((s, q) => s + batch.get(q.initializer)! ** 2, 0)),
        ),
      )
      expect(relative(layer.weightNorm.mean, weightsOnly.mean)).toBeLessThan(1e-5)
      expect(layer.weightNorm.mean).toBeLessThan(layer.norm.mean)
    }
    expect(perBatchError).toBeLessThan(ofMeansError / 20)
    const total = meanStd(
      norms.map((batch) => Math.sqrt([...batch.values()].reduce((s, n) => s + n * n, 0))),
    )
    expect(relative(p.totalNorm.mean, total.mean)).toBeLessThan(1e-5)
    expect(relative(p.loss.mean, meanStd(losses).mean)).toBeLessThan(1e-6)
  })

  it('orders layers and block outputs from the input and maps every parameter', () => {
    const p = result.payload
    expect(p.layers[0].layerKey).toBe('stem')
    expect(p.layers.at(-1)!.layerKey).toBe('fc')
    expect(p.layers.map((l) => l.depth)).toEqual(p.layers.map((_, i) => i))
    expect(p.blockOutputs.map((b) => b.layerKey)).toEqual(
      p.layers.filter((l) => l.layerKey !== 'fc').map((l) => l.layerKey),
    )
    expect(p.blockOutputs.every((b) => b.norm.mean > 0)).toBe(true)
    expect(new Set(p.parameters.map((q) => q.role))).toEqual(
      new Set(['weight', 'bias', 'bn-scale', 'bn-bias']),
    )
    // The synthesizer's BatchNorm: γ = 1 and β = 0 on every channel.
    for (const q of p.parameters.filter((q) => q.role === 'bn-scale'))
      expect(q.parameterNorm).toBeCloseTo(Math.sqrt(q.shape[0]), 5)
    for (const q of p.parameters.filter((q) => q.role === 'bn-bias'))
      expect(q.parameterNorm).toBe(0)
    expect(p.parameters.filter((q) => q.role === 'weight').every((q) => q.parameterNorm > 0)).toBe(
      true,
    )
  })

  it('lists its headline and gives its payload back from the tidy CSV export', async () => {
    const [listed] = service.listResults({ kind: 'gradients' })
    expect(listed.headline).toEqual({
      totalNorm: result.payload.totalNorm.mean,
      loss: result.payload.loss.mean,
      batches: 4,
      numImages: IMAGES,
    })
    const out = join(temp, 'gradients.csv')
    await exportData(service, result.id, 'csv', out)
    const [parsed] = parseTidyCsv(readFileSync(out, 'utf8'))
    expect(parsed.payload).toEqual(result.payload)
  })

  it('fails with the node named when the graph has an op it cannot differentiate', async () => {
    const model = synthesizeResNet(SYNTH)
    const relu = model.graph!.node!.find((node) => node.opType === 'Relu')!
    relu.opType = 'Dropout'
    const editedPath = join(temp, 'edited.onnx')
    writeFileSync(editedPath, encodeModelProto(model))
    const edited = { ...request(0), checkpointId: null, modelPath: editedPath }
    await expect(service.runJob(edited)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(
        /^Gradients are not available for edited\.onnx: node '.*' is a Dropout, which the backward graph does not support/,
      ) as unknown,
    })
    // The engine lives on: the next job runs.
    const again = await service.runJob({ ...request(result.checkpointId!), gradientBatch: 9 })
    expect(again.payload).toMatchObject({ batches: 2 })
  })

  it('refuses a gradient batch larger than the images', async () => {
    await expect(
      service.runJob({ ...request(result.checkpointId!), gradientBatch: IMAGES + 1 }),
    ).rejects.toThrow(/A gradient batch is 19 images but the dataset selects 18/)
  })

  it('runs from the CLI on a checkpoint, answered from the workspace, as JSON', () => {
    const run = cli(
      '--json',
      'grads',
      modelPath,
      ...['--data', FMNIST_64_FOLDER, '--format', 'idx', '--split', 't10k'],
      ...['--limit', String(IMAGES), '--gradient-batch', String(GRADIENT_BATCH)],
      ...['--preprocessing', JSON.stringify(FMNIST_PREPROCESSING), '--provider', 'cpu'],
    )
    expect(run.status).toBe(0)
    expect(run.stderr).toMatch(/an identical request was answered from the workspace/)
    const printed = JSON.parse(run.stdout) as {
      checkpoints: { result: ResultInfo<GradientsResult>; logged: unknown }[]
    }
    expect(printed.checkpoints).toHaveLength(1)
    expect(printed.checkpoints[0].result.id).toBe(result.id)
    expect(printed.checkpoints[0].logged).toBeNull()
  })
})

describe('the grads and geometry commands over a run', () => {
  const runFolder = join(temp, 'gradrun')

  beforeAll(async () => {
    mkdirSync(runFolder, { recursive: true })
    const runJson = {
      name: 'gradrun',
      preprocessing: FMNIST_PREPROCESSING,
      dataset: { path: FMNIST_64_FOLDER, format: 'idx', testSplit: 't10k', testLimit: 8 },
    }
    writeFileSync(join(runFolder, 'run.json'), JSON.stringify(runJson))
    for (const epoch of [1, 2]) {
      await writeSynthesizedResNet(join(runFolder, `epoch_${epoch}.bn.onnx`), {
        ...SYNTH,
        seed: 10 + epoch,
      })
      const gradNorms = { 'conv1.weight': 0.3 * epoch, 'bn1.weight': 0.4, 'fc.weight': 0.5 }
      const line = { epoch, step: epoch * 10, split: 'train', loss: 1, grad_norms: gradNorms }
      appendFileSync(join(runFolder, 'metrics.jsonl'), `${JSON.stringify(line)}\n`)
    }
    const imported = cli('--json', 'import', runFolder)
    expect(imported.status).toBe(0)
  }, 120_000)

  it('prints a trajectory beside the logged norms, each labeled', () => {
    const args = ['grads', '--run', 'gradrun', '--variant', 'bn', '--gradient-batch', '4']
    const run = cli('--json', ...args, '--provider', 'cpu')
    expect(run.status).toBe(0)
    const printed = JSON.parse(run.stdout) as {
      run: { name: string }
      checkpoints: { epoch: number; logged: Record<string, number> }[]
    }
    expect(printed.run.name).toBe('gradrun')
    expect(printed.checkpoints.map((c) => c.epoch)).toEqual([1, 2])
    expect(printed.checkpoints[1].logged['stem']).toBeCloseTo(Math.hypot(0.6, 0.4), 12)
    expect(printed.checkpoints[1].logged['fc']).toBeCloseTo(0.5, 12)
    const text = cli(...args, '--provider', 'cpu')
    expect(text.stdout).toContain('computed (inference BN)')
    expect(text.stdout).toContain('logged (train-mode BN, epoch mean)')
    expect(text.stdout).toContain('gradrun@2.bn')
  })

  it('gives the weight geometry of every checkpoint of the run', () => {
    const run = cli('--json', 'geometry', '--run', 'gradrun', '--variant', 'bn')
    expect(run.status).toBe(0)
    const printed = JSON.parse(run.stdout) as {
      checkpoints: { epoch: number; result: ResultInfo<WeightGeometryResult> }[]
    }
    expect(printed.checkpoints.map((c) => c.epoch)).toEqual([1, 2])
    const [first, second] = printed.checkpoints.map((c) => c.result.payload.summary)
    expect(first.orthogonality).not.toBe(second.orthogonality)
  })
})
