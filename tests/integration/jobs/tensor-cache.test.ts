import { readdir, rm, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type {
  ActivationStatsRequest,
  EvaluateRequest,
  Preprocessing,
} from '../../../electron/api/contract/index.ts'
import type * as BatchLoaderModule from '../../../native-models/data/batch-loader.ts'
import { activationStatsJob } from '../../../native-models/engine/jobs/activation-stats/activation-stats.ts'
import type { ResolvedJob } from '../../../native-models/engine/job-types.ts'
import { summarizeModel } from '../../../native-models/onnx/index.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import { datasetRequest, tempFolder } from '../../fixtures/data/builders.ts'
import {
  evaluateJobFor,
  evaluateObservingLogits,
  recordingContext,
} from './evaluate-job-helpers.ts'
import { writeJpegFolder } from '../../fixtures/data/seeded-jpeg-folder.ts'

// Every decode goes through createBatchLoader (its workers decode and resample); a warm cache
// must not create one.
const decodingLoaders = vi.hoisted(() => ({ created: 0 }))
vi.mock('../../../native-models/data/batch-loader.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof BatchLoaderModule>()
  return {
    ...actual,
    createBatchLoader: (...args: Parameters<typeof actual.createBatchLoader>) => {
      decodingLoaders.created += 1
      return actual.createBatchLoader(...args)
    },
  }
})

const PREPROCESSING: Preprocessing = {
  resize: 36,
  centerCrop: 32,
  pad: 0,
  grayToRgb: true,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  inputSize: [32, 32],
}

let folder = ''
let imagesFolder = ''
let cacheFolder = ''
let modelPath = ''
let modelSha256 = ''

beforeAll(async () => {
  folder = await tempFolder('tensor-cache')
  imagesFolder = join(folder, 'images')
  await writeJpegFolder(imagesFolder, { count: 20, classes: 3, seed: 3 })
  modelPath = join(folder, 'synth18-3.onnx')
  await writeSynthesizedResNet(modelPath, {
    ...{ depth: 18, numClasses: 3, inputSize: 32, cifarStem: false, bnFolded: true },
    ...{ opset: 17, seed: 9, batch: 'dynamic', externalData: false },
  })
  modelSha256 = (await summarizeModel(modelPath)).sha256
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

let cacheCount = 0
beforeEach(() => {
  cacheCount += 1
  cacheFolder = join(folder, `cache-${cacheCount}`)
})

function evaluation(useTensorCache: boolean, preprocessing = PREPROCESSING) {
  const base = evaluateJobFor(modelPath, {
    dataset: datasetRequest(imagesFolder),
    preprocessing,
    batchSize: 8,
  })
  const request: EvaluateRequest = { ...base.request, useTensorCache }
  return { ...base, request, tensorCacheFolder: cacheFolder }
}

function statistics(useTensorCache: boolean): ResolvedJob<ActivationStatsRequest> {
  const base = evaluation(useTensorCache)
  const request: ActivationStatsRequest = {
    ...base.request,
    kind: 'activation-stats',
    ...{ taps: null, histogramSamplesPerBatch: 128, histogramBins: 16, seed: 4 },
  }
  return { ...base, request, modelSha256 }
}

function bytesOf(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength)
}

const cacheFiles = async (): Promise<string[]> => readdir(cacheFolder).catch(() => [])

describe('the preprocessed-tensor cache of the evaluation job', () => {
  it('gives bit-identical logits and metrics from the cache without decoding an image', async () => {
    const loadersAtStart = decodingLoaders.created
    const uncached = await evaluateObservingLogits(evaluation(false))
    expect(decodingLoaders.created).toBe(loadersAtStart + 1)
    const cold = await evaluateObservingLogits(evaluation(true))
    const loadersBefore = decodingLoaders.created
    const warm = await evaluateObservingLogits(evaluation(true))
    expect(decodingLoaders.created).toBe(loadersBefore)
    expect(uncached.output.parameters.tensorCache).toBe('off')
    expect(cold.output.parameters.tensorCache).toBe('stored')
    expect(warm.output.parameters.tensorCache).toBe('hit')
    expect(uncached.logits).toHaveLength(20 * 3)
    expect(bytesOf(cold.logits).equals(bytesOf(uncached.logits))).toBe(true)
    expect(bytesOf(warm.logits).equals(bytesOf(uncached.logits))).toBe(true)
    expect(warm.output.payload).toEqual(uncached.output.payload)
    expect(warm.output.datasetFingerprint).toBe(uncached.output.datasetFingerprint)
    expect(warm.context.reports.at(-1)).toEqual({ stage: 'evaluating', done: 20, total: 20 })
  })

  it('leaves one file named by its key and no temporary files', async () => {
    await evaluateObservingLogits(evaluation(true))
    const files = await cacheFiles()
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.tensors$/)
  })

  it('writes nothing when not asked to', async () => {
    await evaluateObservingLogits(evaluation(false))
    expect(await cacheFiles()).toEqual([])
  })

  it('keeps no file from a cancelled job, so the next job decodes and stores it', async () => {
    const context = recordingContext()
    context.report = (progress) => {
      if (progress.done > 0) context.controller.abort()
    }
    await expect(evaluateObservingLogits(evaluation(true), context)).rejects.toMatchObject({
      name: 'AbortError',
    })
    expect(await cacheFiles()).toEqual([])
    const next = await evaluateObservingLogits(evaluation(true))
    expect(next.output.parameters.tensorCache).toBe('stored')
  })

  it('rebuilds a truncated cache file instead of trusting it', async () => {
    const first = await evaluateObservingLogits(evaluation(true))
    const [file] = await cacheFiles()
    await truncate(join(cacheFolder, file), 1000)
    const rebuilt = await evaluateObservingLogits(evaluation(true))
    expect(rebuilt.output.parameters.tensorCache).toBe('stored')
    expect(bytesOf(rebuilt.logits).equals(bytesOf(first.logits))).toBe(true)
    const warm = await evaluateObservingLogits(evaluation(true))
    expect(warm.output.parameters.tensorCache).toBe('hit')
  })

  it('still evaluates when the cache folder cannot be created, saying why nothing was stored', async () => {
    const blocker = join(folder, 'a-file')
    await writeFile(blocker, 'not a folder')
    const job = { ...evaluation(true), tensorCacheFolder: join(blocker, 'tensors') }
    const result = await evaluateObservingLogits(job)
    expect(result.output.payload.numImages).toBe(20)
    expect(result.output.parameters.tensorCache).toBe('miss')
    expect(result.output.parameters.tensorCacheError).toMatch(/ENOTDIR|EEXIST/)
    expect(await readdir(folder)).not.toContain('tensors')
  })

  it('keys the cache by preprocessing: other normalisation is another file', async () => {
    await evaluateObservingLogits(evaluation(true))
    const other = { ...PREPROCESSING, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }
    const result = await evaluateObservingLogits(evaluation(true, other))
    expect(result.output.parameters.tensorCache).toBe('stored')
    expect(await cacheFiles()).toHaveLength(2)
  })
})

describe('the preprocessed-tensor cache of the statistics job', () => {
  it('gives identical statistics from a warm cache, shared with the evaluation job', async () => {
    const uncached = await activationStatsJob(statistics(false), recordingContext())
    await evaluateObservingLogits(evaluation(true))
    const loadersBefore = decodingLoaders.created
    const warm = await activationStatsJob(statistics(true), recordingContext())
    expect(decodingLoaders.created).toBe(loadersBefore)
    expect(warm.parameters.tensorCache).toBe('hit')
    expect(warm.payload).toEqual(uncached.payload)
  })
})
