// The weight-geometry job in a real workspace: a job kind that reads no images is stored without
// a dataset, listed, answered again from the workspace, exported and rebuilt from its tidy rows,
// and its numbers agree with a direct computation on the model's weights.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  ResultInfo,
  WeightGeometryRequest,
  WeightGeometryResult,
} from '../../../electron/api/contract/index.ts'
import { parseTidyCsv } from '../../../electron/api/export/tidy-csv.ts'
import { exportData } from '../../../electron/api/export/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { loadModel, readInitializerFloat32 } from '../../../native-models/onnx/index.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const temp = mkdtempSync(join(tmpdir(), 'weight-geometry-job-'))
const modelPath = join(temp, 'resnet18.onnx')
const workspace = join(temp, 'ws')
let engine: EngineClient
let service: WorkbenchService
let result: ResultInfo<WeightGeometryResult>

const request = (checkpointId: number): WeightGeometryRequest => ({
  kind: 'weight-geometry',
  checkpointId,
  modelPath: null,
  provider: 'cpu',
})

beforeAll(async () => {
  await writeSynthesizedResNet(modelPath, {
    depth: 18,
    numClasses: 10,
    inputSize: 32,
    cifarStem: false,
    bnFolded: false,
    opset: 17,
    seed: 3,
    batch: 'dynamic',
    externalData: false,
  })
  engine = new EngineClient()
  service = new WorkbenchService(workspace, { engine: () => engine })
  const checkpoint = await service.openCheckpoint(modelPath)
  result = (await service.runJob(request(checkpoint.id))) as ResultInfo<WeightGeometryResult>
}, 120_000)

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

/** Row-major rows of a weight whose filters come first (Conv [out, in, k, k], Gemm transB [out, in]). */
function rowsOf(values: Float32Array, shape: number[]): Float64Array[] {
  const columns = values.length / shape[0]
  return Array.from({ length: shape[0] }, (_, r) =>
    Float64Array.from(values.subarray(r * columns, (r + 1) * columns)),
  )
}

const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, x, i) => s + x * b[i], 0)

describe('the weight-geometry job', () => {
  it('stores a result without a dataset, preprocessing or image count', () => {
    expect(result.datasetId).toBeNull()
    expect(result.provenance.dataset).toBeNull()
    expect(result.provenance.datasetFingerprint).toBeNull()
    expect(result.provenance.preprocessing).toBeNull()
    expect(service.listDatasets()).toEqual([])
    const listed = service.listResults({ kind: 'weight-geometry' })
    expect(listed).toHaveLength(1)
    expect(listed[0].datasetName).toBeNull()
    expect(Object.keys(listed[0].headline).sort()).toEqual(
      ['effectiveRankRatio', 'layers', 'meanAbsCos', 'orthogonality'].sort(),
    )
    expect(listed[0].headline['layers']).toBe(result.payload.layers.length)
  })

  it('covers every conv and the classifier, stem first, filters as rows', () => {
    const { layers } = result.payload
    // ResNet18: the stem conv, 8 blocks of 2 convs, 3 downsample convs, the fc.
    expect(layers).toHaveLength(1 + 16 + 3 + 1)
    expect(layers.map((l) => l.depth)).toEqual(layers.map((_, i) => i))
    expect(layers[0]).toMatchObject({ layerKey: 'stem', rows: 64, columns: 3 * 7 * 7 })
    expect(layers.at(-1)).toMatchObject({ layerKey: 'fc', rows: 10, columns: 512 })
    expect(result.payload.isBnFolded).toBe(false)
  })

  it('agrees with a direct computation on the weights of the stem and the classifier', async () => {
    const loaded = await loadModel(modelPath)
    for (const layer of [result.payload.layers[0], result.payload.layers.at(-1)!]) {
      const rows = rowsOf(readInitializerFloat32(loaded, layer.initializer), layer.shape)
      const n = rows.length
      const squaredNorms = rows.map((row) => dot(row, row))
      const frobenius = Math.sqrt(squaredNorms.reduce((a, b) => a + b, 0))
      let orthogonality = 0
      let absCos = 0
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const cos = dot(rows[i], rows[j]) / Math.sqrt(squaredNorms[i] * squaredNorms[j])
          orthogonality += (cos - (i === j ? 1 : 0)) ** 2
          if (i !== j) absCos += Math.abs(cos)
        }
      }
      expect(layer.frobenius).toBeCloseTo(frobenius, 6)
      expect(layer.orthogonality / (orthogonality / n ** 2)).toBeCloseTo(1, 8)
      expect(layer.meanAbsCos / (absCos / (n * (n - 1)))).toBeCloseTo(1, 8)
      const sumSquares = layer.singularValues.reduce((s, v) => s + v * v, 0)
      expect(sumSquares / frobenius ** 2).toBeCloseTo(1, 8)
      expect(layer.singularValues).toHaveLength(Math.min(layer.rows, layer.columns))
      expect(layer.stableRank).toBeCloseTo(frobenius ** 2 / layer.singularValues[0] ** 2, 8)
    }
  })

  it('weights the summary by parameter count', () => {
    const { layers, summary } = result.payload
    const counts = layers.map((l) => l.rows * l.columns)
    const total = counts.reduce((a, b) => a + b, 0)
    const weighted = layers.reduce((s, l, i) => s + counts[i] * l.orthogonality, 0) / total
    expect(summary.orthogonality).toBeCloseTo(weighted, 12)
    const unweighted = layers.reduce((s, l) => s + l.orthogonality, 0) / layers.length
    expect(summary.orthogonality).not.toBeCloseTo(unweighted, 6)
  })

  it('answers the same request from the workspace, with or without image fields', async () => {
    const again = await service.startJob(request(result.checkpointId!))
    expect(again.job).toBeNull()
    expect(again.result?.id).toBe(result.id)
    const withImages = { ...request(result.checkpointId!), dataset: null, batchSize: 8 }
    const answered = await service.startJob(withImages)
    expect(answered.result?.id).toBe(result.id)
    const estimate = await service.estimateJob(request(result.checkpointId!))
    expect(estimate).toMatchObject({ numImages: 0, batchSize: 0 })
    expect(estimate.seconds).toBeGreaterThan(0)
  })

  it('gives its payload back from the tidy CSV export', async () => {
    const out = join(temp, 'geometry.csv')
    await exportData(service, result.id, 'csv', out)
    const { readFileSync } = await import('node:fs')
    const [parsed] = parseTidyCsv(readFileSync(out, 'utf8'))
    expect(parsed.payload).toEqual(result.payload)
    expect(parsed.context.dataset).toBeNull()
  })

  it('runs from the CLI on a model file and prints the result as JSON', () => {
    const run = spawnSync(
      process.execPath,
      ['bin/resnet-workbench.js', '-w', workspace, '--json', 'geometry', modelPath],
      { cwd: repo, encoding: 'utf8' },
    )
    expect(run.stderr).toMatch(/^(warning: an identical request was answered[^\n]*\n)?$/)
    expect(run.status).toBe(0)
    const printed = JSON.parse(run.stdout) as {
      checkpoints: { result: ResultInfo<WeightGeometryResult> }[]
    }
    expect(printed.checkpoints).toHaveLength(1)
    expect(printed.checkpoints[0].result.payload).toEqual(result.payload)
  })
})
