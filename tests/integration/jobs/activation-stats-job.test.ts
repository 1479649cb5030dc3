import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActivationStatsRequest, SynthRequest } from '../../../electron/api/contract/index.ts'
import { activationStatsJob } from '../../../native-models/engine/jobs/activation-stats/activation-stats.ts'
import type { ResolvedJob } from '../../../native-models/engine/job-types.ts'
import { summarizeModel } from '../../../native-models/onnx/index.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  fmnistTestImages,
  recordingContext,
} from './evaluate-job-helpers.ts'

const SYNTH: SynthRequest = {
  depth: 18,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded: true,
  opset: 17,
  seed: 21,
  batch: 'dynamic',
  externalData: false,
}

let folder = ''
let modelPath = ''
let modelSha256 = ''

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'activation-job-'))
  modelPath = join(folder, 'synth18.onnx')
  await writeSynthesizedResNet(modelPath, SYNTH)
  modelSha256 = (await summarizeModel(modelPath)).sha256
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

function statsJob(
  overrides: Partial<ActivationStatsRequest> = {},
  path = modelPath,
): ResolvedJob<ActivationStatsRequest> {
  const dataset = fmnistTestImages(FMNIST_64_FOLDER, 20)
  const request: ActivationStatsRequest = {
    kind: 'activation-stats',
    checkpointId: null,
    modelPath: path,
    dataset,
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: 8,
    provider: 'cpu',
    taps: null,
    histogramSamplesPerBatch: 256,
    histogramBins: 32,
    seed: 5,
    ...overrides,
  }
  const sha = path === modelPath ? modelSha256 : ''
  return {
    jobId: 1,
    request,
    modelPath: path,
    modelSha256: sha,
    preprocessing: FMNIST_PREPROCESSING,
    dataset,
  }
}

async function failureOf(promise: Promise<unknown>): Promise<{ code?: unknown; message: string }> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(Error)
  return error as { code?: unknown; message: string }
}

describe('the activation statistics job', () => {
  it('summarises every block and the pooled features of 20 Fashion-MNIST images, saying what was sampled', async () => {
    const context = recordingContext()
    const output = await activationStatsJob(statsJob(), context)
    const { payload } = output
    expect(payload.numImages).toBe(20)
    expect(payload.taps.map((tap) => tap.key)).toEqual([
      ...['layer1.0', 'layer1.1', 'layer2.0', 'layer2.1'],
      ...['layer3.0', 'layer3.1', 'layer4.0', 'layer4.1', 'pooled'],
    ])
    const layer1 = payload.taps[0]
    expect(layer1.shape).toEqual([64, 8, 8])
    expect(layer1.mean).toHaveLength(64)
    expect(layer1.histogram.counts).toHaveLength(32)
    expect(layer1.histogram.sampledValues).toBe(3 * 256)
    expect(layer1.histogram.totalValues).toBe(20 * 64 * 8 * 8)
    expect(layer1.histogram.counts.reduce((a, b) => a + b, 0)).toBe(3 * 256)
    expect(output.batchSize).toBe(8)
    expect(output.datasetFingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(output.providers.attached).toEqual(['CPUExecutionProvider'])
    expect(output.parameters).toMatchObject({
      histogramSamplesPerBatch: 256,
      histogramBins: 32,
      seed: 5,
    })
    expect(context.reports.at(-1)).toEqual({ stage: 'activation statistics', done: 20, total: 20 })
  })

  it('gives identical results when the same request runs again', async () => {
    const first = await activationStatsJob(statsJob(), recordingContext())
    const second = await activationStatsJob(statsJob(), recordingContext())
    expect(second.payload).toEqual(first.payload)
  })

  it('taps the requested layers in the requested order, the classifier included', async () => {
    const job = statsJob({ taps: ['layer4.1', 'stem', 'fc', 'stem'], histogramSamplesPerBatch: 0 })
    const { payload } = await activationStatsJob(job, recordingContext())
    expect(payload.taps.map((tap) => [tap.key, tap.shape])).toEqual([
      ['layer4.1', [512, 1, 1]],
      ['stem', [64, 8, 8]],
      ['fc', [10]],
    ])
    expect(payload.taps[2].histogram.sampledValues).toBe(0)
  })

  it('stops between batches when cancelled', async () => {
    const context = recordingContext()
    const report = context.report
    context.report = (progress) => {
      report(progress)
      if (progress.done > 0) context.controller.abort()
    }
    const error = await failureOf(activationStatsJob(statsJob(), context))
    expect(error).toMatchObject({ name: 'AbortError' })
    expect(context.reports.map((p) => p.done)).toEqual([0, 8])
  })

  it('refuses an unknown layer key, listing the known ones', async () => {
    const error = await failureOf(
      activationStatsJob(statsJob({ taps: ['layer9.0'] }), recordingContext()),
    )
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toMatch(
      /'synth18\.onnx' has no layer 'layer9\.0'; known keys: stem, layer1\.0, .*pooled, fc, or the name of a node or tensor of the graph\.$/,
    )
  })

  it('refuses a single histogram bin and a negative sample count in one sentence', async () => {
    const job = statsJob({ histogramBins: 1, histogramSamplesPerBatch: -1 })
    const error = await failureOf(activationStatsJob(job, recordingContext()))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      'Cannot compute activation statistics: histogramSamplesPerBatch -1 is not an integer in 0–16777216; histogramBins 1 is not an integer in 2–4096.',
    )
  })

  it('refuses a fixed-batch model when the images do not fill whole batches', async () => {
    const fixedPath = join(folder, 'synth18-batch8.onnx')
    await writeSynthesizedResNet(fixedPath, { ...SYNTH, batch: 8 })
    const error = await failureOf(activationStatsJob(statsJob({}, fixedPath), recordingContext()))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toMatch(
      /^'synth18-batch8\.onnx' takes batches of exactly 8 images and 20 is not a multiple of 8: padding would add blank images/,
    )
  })
})
