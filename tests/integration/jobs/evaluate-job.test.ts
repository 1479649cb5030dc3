import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SynthRequest } from '../../../electron/api/contract/index.ts'
import { evaluateJob } from '../../../native-models/engine/jobs/evaluate/evaluate.ts'
import { summarizeModel } from '../../../native-models/onnx/index.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import {
  evaluateJobFor,
  evaluateObservingLogits,
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  fmnistTestImages,
  nanHead,
  recordingContext,
  softmaxHead,
  writeWithHead,
} from './evaluate-job-helpers.ts'

const fixtureModel = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/models/${name}`, import.meta.url))
/** torchvision resnet18 (tiny widths), 10 classes, input [1, 3, 32, 32], weights exported as inputs. */
const CIFAR_MODEL = fixtureModel('torch-resnet18-cifar_op17.onnx')
const TEN_IMAGES = fmnistTestImages(FMNIST_64_FOLDER, 10)

async function failureOf(promise: Promise<unknown>): Promise<{ code?: unknown; message: string }> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(Error)
  return error as { code?: unknown; message: string }
}

const evaluate = (job: ReturnType<typeof evaluateJobFor>) => evaluateJob(job, recordingContext())

describe('models that do not take the preprocessed images', () => {
  it('refuses a model whose weights are graph inputs, naming them', async () => {
    const error = await failureOf(evaluate(evaluateJobFor(CIFAR_MODEL, { dataset: TEN_IMAGES })))
    expect(error.code).toBe('NOT_IMAGE_CLASSIFIER')
    expect(error.message).toMatch(
      /^'torch-resnet18-cifar_op17\.onnx' needs \d+ inputs besides the image \('fc\.weight', .*export_params=True/,
    )
  })

  it('refuses an NHWC model with a SHAPE_MISMATCH naming the file and the NHWC hint', async () => {
    const model = fixtureModel('torch-resnet18-nhwc-norm-softmax_op13.onnx')
    const error = await failureOf(evaluate(evaluateJobFor(model, { dataset: TEN_IMAGES })))
    expect(error.code).toBe('SHAPE_MISMATCH')
    expect(error.message).toBe(
      "'torch-resnet18-nhwc-norm-softmax_op13.onnx' expects input 'input' as [N, H, W, 3] but the preprocessed images are [N, 3, 32, 32] (NCHW): the model takes channels-last (NHWC) images; export it with an NCHW input.",
    )
  })

  it('refuses images of another size with the inputSize hint', async () => {
    const preprocessing = {
      ...FMNIST_PREPROCESSING,
      pad: 0,
      inputSize: [28, 28] as [number, number],
    }
    const job = evaluateJobFor(CIFAR_MODEL, { dataset: TEN_IMAGES, preprocessing })
    const error = await failureOf(evaluate(job))
    expect(error.code).toBe('SHAPE_MISMATCH')
    expect(error.message).toMatch(
      /expects input 'input' as \[1, 3, 32, 32\] but the preprocessed images are \[N, 3, 28, 28\]/,
    )
    expect(error.message).toMatch(/set the preprocessing's inputSize to \[32, 32\]\.$/)
  })

  it('refuses gray images for an RGB model with the grayToRgb hint', async () => {
    const preprocessing = { ...FMNIST_PREPROCESSING, grayToRgb: false, mean: [0.286], std: [0.353] }
    const job = evaluateJobFor(CIFAR_MODEL, { dataset: TEN_IMAGES, preprocessing })
    const error = await failureOf(evaluate(job))
    expect(error.code).toBe('SHAPE_MISMATCH')
    expect(error.message).toMatch(
      /\[N, 1, 32, 32\] \(NCHW\): set grayToRgb in the preprocessing\.$/,
    )
  })

  it('refuses a dataset with more classes than the model scores', async () => {
    const job = evaluateJobFor(fixtureModel('tiny-resnet.onnx'), { dataset: TEN_IMAGES })
    const error = await failureOf(evaluate(job))
    expect(error.code).toBe('SHAPE_MISMATCH')
    expect(error.message).toMatch(
      /^'tiny-resnet\.onnx' outputs 5 class scores but the dataset has 10 classes/,
    )
  })
})

describe('evaluation runs', () => {
  const request: SynthRequest = {
    depth: 18,
    numClasses: 10,
    inputSize: 32,
    cifarStem: false,
    bnFolded: true,
    opset: 17,
    seed: 5,
    batch: 'dynamic',
    externalData: false,
  }
  let folder = ''
  let dynamicPath = ''
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'evaluate-job-'))
    dynamicPath = join(folder, 'dynamic-batch.onnx')
    await writeSynthesizedResNet(dynamicPath, request)
  })
  afterAll(() => rm(folder, { recursive: true, force: true }))

  it("zero-pads the last batch of a fixed-batch model and gives the dynamic model's logits", async () => {
    const fixedPath = join(folder, 'fixed-batch-4.onnx')
    await writeSynthesizedResNet(fixedPath, { ...request, batch: 4 })
    const fixed = await evaluateObservingLogits(evaluateJobFor(fixedPath, { dataset: TEN_IMAGES }))
    const dynamic = await evaluateObservingLogits(
      evaluateJobFor(dynamicPath, { dataset: TEN_IMAGES, batchSize: 10 }),
    )
    expect(fixed.output.batchSize).toBe(4)
    expect(fixed.context.reports.map((r) => r.done)).toEqual([0, 4, 8, 10])
    expect(fixed.logits).toHaveLength(100)
    fixed.logits.forEach((value, i) => expect(value).toBeCloseTo(dynamic.logits[i] ?? NaN, 5))
  })

  it('sizes batches by time when the request gives no batch size', async () => {
    const job = evaluateJobFor(dynamicPath, { dataset: TEN_IMAGES, batchSize: null })
    const output = await evaluate(job)
    expect([1, 2, 4, 8]).toContain(output.batchSize)
    expect(output.payload.numImages).toBe(10)
  })

  it('scores a model ending in Softmax from its probabilities like the bare model from logits', async () => {
    const softmaxPath = join(folder, 'with-softmax.onnx')
    await writeWithHead(dynamicPath, softmaxPath, softmaxHead)
    expect((await summarizeModel(softmaxPath)).hasTrailingSoftmax).toBe(true)
    const probabilities = await evaluate(evaluateJobFor(softmaxPath, { dataset: TEN_IMAGES }))
    const logits = await evaluate(evaluateJobFor(dynamicPath, { dataset: TEN_IMAGES }))
    expect(probabilities.parameters).toMatchObject({ outputsAreProbabilities: true })
    expect(probabilities.payload.confusion).toEqual(logits.payload.confusion)
    expect(probabilities.payload.nll).toBeCloseTo(logits.payload.nll, 6)
    expect(probabilities.payload.ece).toBeCloseTo(logits.payload.ece, 6)
  })

  it('refuses NaN outputs, naming the model and the image', async () => {
    const nanPath = join(folder, 'nan-logits.onnx')
    await writeWithHead(dynamicPath, nanPath, nanHead)
    const error = await failureOf(evaluate(evaluateJobFor(nanPath, { dataset: TEN_IMAGES })))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toMatch(
      /^'nan-logits\.onnx' gave NaN for class 0 of '.*#0'; .*diverged checkpoint/,
    )
  })

  it('stops between batches when cancelled', async () => {
    const context = recordingContext()
    const report = context.report
    context.report = (progress) => {
      report(progress)
      if (progress.done >= 4) context.controller.abort()
    }
    const job = evaluateJobFor(dynamicPath, { dataset: TEN_IMAGES, batchSize: 2 })
    const error = await failureOf(evaluateJob(job, context))
    expect((error as Error).name).toBe('AbortError')
    expect(context.reports.at(-1)?.done).toBe(4)
  })
})
