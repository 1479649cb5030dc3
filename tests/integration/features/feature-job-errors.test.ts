// Bad input to the feature-space jobs: each is refused with a coded sentence naming the file or
// the sets and the fix (never an INTERNAL error), and the features already computed stay cached.
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  DatasetRequest,
  ProbesRequest,
  SynthRequest,
  T3aDomain,
  T3aRequest,
} from '../../../electron/api/contract/index.ts'
import { toJobFailure } from '../../../native-models/engine/job-failure.ts'
import type { ResolvedJob } from '../../../native-models/engine/job-types.ts'
import { probesJob } from '../../../native-models/engine/jobs/probes/probes.ts'
import { t3aJob } from '../../../native-models/engine/jobs/t3a/t3a.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { synthesizeResNet, writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import { datasetRequest, solidPng, writeTree } from '../../fixtures/data/builders.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  fmnistTestImages,
  recordingContext,
} from '../jobs/evaluate-job-helpers.ts'

const SYNTH: SynthRequest = {
  depth: 18,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded: true,
  opset: 17,
  seed: 7,
  batch: 'dynamic',
  externalData: false,
}

let folder = ''
let modelPath = ''
let headlessPath = ''
let workspaces = 0

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'feature-job-errors-'))
  modelPath = join(folder, 'model.onnx')
  await writeSynthesizedResNet(modelPath, SYNTH)
  // The same network with its classifier cut off: it outputs the pooled features.
  const headless = synthesizeResNet(SYNTH)
  const graph = headless.graph!
  const classifier = graph.node!.find((node) => node.opType === 'Gemm')!
  graph.node = graph.node!.filter((node) => node !== classifier)
  graph.output = [{ ...graph.output![0], name: classifier.input![0] }]
  headlessPath = join(folder, 'headless.onnx')
  await writeFile(headlessPath, encodeModelProto(headless))
})

afterAll(() => rm(folder, { recursive: true, force: true }))

/** A fresh workspace: its feature cache folder is `<workspace>/features`. */
function newWorkspace(): string {
  workspaces += 1
  return join(folder, `workspace-${workspaces}`)
}

function resolved<R extends ProbesRequest | T3aRequest>(
  request: R,
  workspace: string,
): ResolvedJob<R> {
  return {
    jobId: 1,
    request,
    modelPath: request.modelPath!,
    modelSha256: `sha-of-${request.modelPath!}`,
    preprocessing: FMNIST_PREPROCESSING,
    dataset: request.dataset,
    tensorCacheFolder: join(workspace, 'tensors'),
  }
}

const base = (dataset: DatasetRequest, model = modelPath) => ({
  checkpointId: null,
  modelPath: model,
  dataset,
  preprocessing: FMNIST_PREPROCESSING,
  batchSize: 16,
  provider: 'cpu' as const,
})

function probesRequest(testDataset: DatasetRequest, model = modelPath): ProbesRequest {
  return {
    kind: 'probes',
    ...base(fmnistTestImages(FMNIST_64_FOLDER, 24), model),
    testDataset,
    layer: { tap: null, pooling: 'mean' },
    fractions: [0.5],
    seeds: 1,
    validation: { fraction: 0.25, seed: 0 },
    ridgeGrid: null,
    baselines: { pca: false, randomProjection: false },
    exact: null,
  }
}

function t3aRequest(domains: T3aDomain[] | null, model = modelPath): T3aRequest {
  return {
    kind: 't3a',
    ...base(fmnistTestImages(FMNIST_64_FOLDER, 16), model),
    domains,
    filters: [1, 'all'],
    allBehaviour: 'keep-every-support',
    streamBatch: 4,
    order: { kind: 'shuffle', seed: 1 },
    lastPartialBatch: 'predict',
  }
}

const cleanDomain = (): T3aDomain => ({
  label: 'clean',
  dataset: fmnistTestImages(FMNIST_64_FOLDER, 16),
  corruption: null,
})

const classNames = (count: number): string[] =>
  Array.from({ length: count }, (_, c) => `class${String(c).padStart(2, '0')}`)

/**
 * An ImageFolder of 28×28 gray images (Fashion-MNIST's size), one folder per class, and the
 * request that names its own classes (a domain otherwise takes the run's class list).
 */
async function grayFolder(name: string, classes: number, perClass: number) {
  const layout: Record<string, Uint8Array> = {}
  for (const [c, className] of classNames(classes).entries())
    for (let i = 0; i < perClass; i++)
      layout[`${className}/${i}.png`] = await solidPng(28, 28, 20 * c + 7 * i, 1)
  const path = await writeTree(join(folder, name), layout)
  return { path, request: datasetRequest(path, { classes: classNames(classes) }) }
}

async function failureOf(run: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await run.then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(error, 'the job should have failed').not.toBeNull()
  return toJobFailure(error)
}

const featureFiles = (workspace: string): Promise<string[]> =>
  readdir(join(workspace, 'features')).then(
    (files) => files.sort(),
    () => [],
  )

describe('probes on a training and a test set that do not match', () => {
  it('are refused when the two sets have different numbers of classes, the training features kept', async () => {
    const workspace = newWorkspace()
    const threeClasses = await grayFolder('three-classes', 3, 2)
    const failure = await failureOf(
      probesJob(resolved(probesRequest(threeClasses.request), workspace), recordingContext()),
    )
    expect(failure.code).toBe('INVALID_ARGUMENT')
    expect(failure.message).toContain(FMNIST_64_FOLDER)
    expect(failure.message).toContain(threeClasses.path)
    expect(failure.message).toContain('10 and 3 classes')
    expect(failure.message).toContain('probe one layer on two splits of one dataset')
    expect(await featureFiles(workspace)).toHaveLength(2)

    const retry = await probesJob(
      resolved(probesRequest(fmnistTestImages(FMNIST_64_FOLDER, 8)), workspace),
      recordingContext(),
    )
    expect(retry.payload.features.train).toMatchObject({ cache: 'hit', forwardPasses: 0 })
    expect(retry.payload.features.test).toMatchObject({ cache: 'computed', forwardPasses: 8 })
  })
})

describe('a model that is not an image classifier', () => {
  it('is refused by the probes, naming the file', async () => {
    const request = probesRequest(fmnistTestImages(FMNIST_64_FOLDER, 8), headlessPath)
    const failure = await failureOf(
      probesJob(resolved(request, newWorkspace()), recordingContext()),
    )
    expect(failure.code).toBe('NOT_IMAGE_CLASSIFIER')
    expect(failure.message).toContain('headless.onnx')
    expect(failure.message).toContain('no Gemm/MatMul classifier follows the last block')
  })

  it('is refused by T3A, naming the file, before any forward pass', async () => {
    const workspace = newWorkspace()
    const context = recordingContext()
    const failure = await failureOf(
      t3aJob(resolved(t3aRequest(null, headlessPath), workspace), context),
    )
    expect(failure.code).toBe('NOT_IMAGE_CLASSIFIER')
    expect(failure.message).toContain('headless.onnx')
    expect(context.reports).toEqual([])
    expect(await featureFiles(workspace)).toEqual([])
  })
})

describe('T3A domains that cannot be read', () => {
  it('names a domain folder that does not exist, and keeps the domains before it cached', async () => {
    const workspace = newWorkspace()
    const missing = join(folder, 'no-such-domain')
    const domains = [
      cleanDomain(),
      { label: 'missing', dataset: datasetRequest(missing), corruption: null },
    ]
    const failure = await failureOf(
      t3aJob(resolved(t3aRequest(domains), workspace), recordingContext()),
    )
    expect(failure.code).toBe('NOT_FOUND')
    expect(failure.message).toContain(missing)
    expect(await featureFiles(workspace)).toHaveLength(1)

    const retry = await t3aJob(resolved(t3aRequest([cleanDomain()]), workspace), recordingContext())
    expect(retry.payload.domains[0].features).toMatchObject({ cache: 'hit', forwardPasses: 0 })
  })

  it('names an unreadable image of a domain and stores no features for that domain', async () => {
    const workspace = newWorkspace()
    const root = await grayFolder('with-unreadable-image', 2, 3)
    const broken = join(root.path, 'class01', '1.png')
    await writeFile(broken, 'this is not a PNG')
    const domains = [cleanDomain(), { label: 'broken', dataset: root.request, corruption: null }]
    const failure = await failureOf(
      t3aJob(resolved(t3aRequest(domains), workspace), recordingContext()),
    )
    expect(failure).toEqual({
      code: 'IMAGE_UNREADABLE',
      message: `'${broken}' is not a JPEG or PNG image: replace the file or delete it from the dataset.`,
    })
    expect(await featureFiles(workspace)).toHaveLength(1)
  })

  it('names the class folders of a domain that the run’s class list does not name', async () => {
    const { path } = await grayFolder('unnamed-classes', 2, 1)
    const domains = [{ label: 'unnamed', dataset: datasetRequest(path), corruption: null }]
    const failure = await failureOf(
      t3aJob(resolved(t3aRequest(domains), newWorkspace()), recordingContext()),
    )
    expect(failure).toEqual({
      code: 'INVALID_ARGUMENT',
      message: `The classes list does not name the class folder(s) 'class00', 'class01' of '${path}': add them to 'classes' (in logit order) or remove the folders.`,
    })
  })

  it('refuses a domain with more classes than the model has outputs', async () => {
    const twelveClasses = await grayFolder('twelve-classes', 12, 1)
    const domains = [{ label: 'twelve', dataset: twelveClasses.request, corruption: null }]
    const failure = await failureOf(
      t3aJob(resolved(t3aRequest(domains), newWorkspace()), recordingContext()),
    )
    expect(failure.code).toBe('SHAPE_MISMATCH')
    expect(failure.message).toContain(
      "'model.onnx' outputs 10 class scores but the dataset has 12 classes",
    )
  })
})

describe('a feature cache file that does not match its header', () => {
  const damages: [string, (file: string, size: number) => Promise<void>][] = [
    ['cut in half', (file, size) => truncate(file, Math.floor(size / 2))],
    ['cut by its last byte', (file, size) => truncate(file, size - 1)],
    ['emptied', (file) => truncate(file, 0)],
    ['one byte too long', async (file) => writeFile(file, new Uint8Array([0]), { flag: 'a' })],
  ]

  it.each(damages)('is computed again when %s, giving the same features', async (_, damage) => {
    const workspace = newWorkspace()
    const job = resolved(t3aRequest(null), workspace)
    const first = await t3aJob(job, recordingContext())
    const [name] = await featureFiles(workspace)
    const file = join(workspace, 'features', name)
    const written = await readFile(file)
    await damage(file, written.length)

    const again = await t3aJob(job, recordingContext())
    expect(again.payload.domains[0].features).toMatchObject({
      cache: 'computed',
      forwardPasses: 16,
    })
    expect(await featureFiles(workspace)).toEqual([name])
    expect(new Uint8Array(await readFile(file))).toEqual(new Uint8Array(written))
    expect(again.payload.domains[0].filters).toEqual(first.payload.domains[0].filters)

    const third = await t3aJob(job, recordingContext())
    expect(third.payload.domains[0].features).toMatchObject({ cache: 'hit', forwardPasses: 0 })
  })
})
