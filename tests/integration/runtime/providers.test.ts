import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onnxruntimeBackend } from '../../../native-models/runtime/ort-backend.ts'
import { createSession } from '../../../native-models/runtime/session.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { writeModelFile } from '../../../native-models/surgery/model-file.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import { fakeBackend } from '../../unit/runtime/helpers/fake-backend.ts'
import {
  legacyClassifier,
  TINY_INPUT_DIMS,
  tinyClassifier,
} from '../../unit/surgery/helpers/tiny-classifier.ts'

const TINY_FEEDS = { input: { data: new Float32Array(96).fill(0.25), dims: TINY_INPUT_DIMS } }
const ortBinaries = dirname(createRequire(import.meta.url).resolve('onnxruntime-node'))
const hasCudaLibraries = existsSync(
  join(ortBinaries, '../bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so'),
)

let folder = ''
let tinyPath = ''
let resnetPath = ''
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'runtime-providers-'))
  tinyPath = join(folder, 'tiny.onnx')
  await writeModelFile(tinyPath, tinyClassifier(17))
  resnetPath = join(folder, 'resnet18.onnx')
  await writeSynthesizedResNet(resnetPath, {
    ...{ depth: 18, numClasses: 10, inputSize: 32, cifarStem: false, bnFolded: false },
    ...{ opset: 17, seed: 3, batch: 'dynamic', externalData: false },
  })
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('execution providers on this machine', () => {
  it.runIf(process.platform === 'linux' && process.arch === 'x64' && !hasCudaLibraries)(
    'refuses an explicit CUDA without its libraries with PROVIDER_UNAVAILABLE',
    async () => {
      const error = await createSession(tinyPath, { provider: 'cuda' }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' })
      expect((error as Error).message).toMatch(/^CUDA provider libraries are not installed/)
    },
  )

  it('runs auto on CPU for real and reports the fallback', async () => {
    const session = await createSession(tinyPath, { provider: 'auto', intraOpNumThreads: 1 })
    expect((await session.run(TINY_FEEDS)).logits?.dims).toEqual([2, 5])
    const report = session.providerReport()
    expect(report.requested).toBe('auto')
    if (!hasCudaLibraries) expect(report.fallbackReason).toMatch(/running on CPU\.$/)
    await session.release()
  })

  it('falls back to CPU under auto when CUDA fails to load (injected) and still runs', async () => {
    const backend = fakeBackend({
      ...{ platform: 'linux-x64', backends: ['cpu', 'cuda'], failing: ['cuda'] },
      delegate: onnxruntimeBackend,
    })
    const session = await createSession(
      tinyPath,
      { provider: 'auto', intraOpNumThreads: 1 },
      backend,
    )
    expect((await session.run(TINY_FEEDS)).logits?.dims).toEqual([2, 5])
    expect(session.providerReport()).toMatchObject({
      attached: ['CPUExecutionProvider'],
      fallbackReason: expect.stringMatching(/^CUDA is unavailable/) as unknown,
    })
    await session.release()
  })

  it('creates DirectML sessions with memory patterns off and sequential execution (injected)', async () => {
    const backend = fakeBackend({
      ...{ platform: 'win32-x64', backends: ['cpu', 'dml'] },
      delegate: onnxruntimeBackend,
    })
    const session = await createSession(
      tinyPath,
      { provider: 'dml', intraOpNumThreads: 1 },
      backend,
    )
    const sessionOptions = backend.calls.at(-1)
    expect(sessionOptions).toMatchObject({
      executionProviders: [{ name: 'dml', deviceId: 0 }, 'cpu'],
      enableMemPattern: false,
      executionMode: 'sequential',
    })
    expect(session.providerReport().attached).toEqual([
      'DmlExecutionProvider',
      'CPUExecutionProvider',
    ])
    await session.release()
  })

  it("turns ORT's memory pattern off only when asked, and the session still runs", async () => {
    const backend = fakeBackend({
      ...{ platform: 'linux-x64', backends: ['cpu'] },
      delegate: onnxruntimeBackend,
    })
    const plain = await createSession(tinyPath, { intraOpNumThreads: 1 }, backend)
    const withoutPattern = await createSession(
      tinyPath,
      { intraOpNumThreads: 1, memoryPattern: false },
      backend,
    )
    const [plainOptions, withoutOptions] = backend.calls.slice(-2)
    expect(plainOptions?.enableMemPattern).toBeUndefined()
    expect(withoutOptions?.enableMemPattern).toBe(false)
    expect((await withoutPattern.run(TINY_FEEDS)).logits?.data).toEqual(
      (await plain.run(TINY_FEEDS)).logits?.data,
    )
    await Promise.all([plain.release(), withoutPattern.release()])
  })

  it('places every node of a ResNet18 at 32² on CPU and deletes the profile', async () => {
    const profiles = await mkdtemp(join(folder, 'tmp-'))
    const previousTmp = process.env.TMPDIR
    process.env.TMPDIR = profiles
    try {
      const session = await createSession(resnetPath, {
        intraOpNumThreads: 1,
        recordPlacement: true,
      })
      expect(session.providerReport().nodePlacement).toEqual({})
      await session.run({
        input: { data: new Float32Array(2 * 3 * 32 * 32), dims: [2, 3, 32, 32] },
      })
      const placement = session.providerReport().nodePlacement
      console.log('ResNet18 32² placement', placement)
      expect(Object.keys(placement)).toEqual(['CPUExecutionProvider'])
      expect(placement.CPUExecutionProvider).toBeGreaterThanOrEqual(20)
      expect(await readdir(profiles)).toEqual([])
      await session.release()
    } finally {
      process.env.TMPDIR = previousTmp
    }
  })
})

describe('the empty-output guard', () => {
  it('runs a BatchNormalization listing absent outputs that ORT 1.30 would crash on', async () => {
    const risky = new GraphBuilder(legacyClassifier({ absentBatchNormOutputs: true }))
    const plain = await createSession(new GraphBuilder(legacyClassifier()).encode(), {
      intraOpNumThreads: 1,
    })
    const expected = (await plain.run(TINY_FEEDS)).bn_out
    for (const model of [risky.toModel(), risky.encode()]) {
      const session = await createSession(model, { intraOpNumThreads: 1 })
      expect((await session.run(TINY_FEEDS)).bn_out?.data).toEqual(expected?.data)
      await session.release()
    }
    await plain.release()
  })
})
