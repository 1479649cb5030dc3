import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeModelProto, encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { createSession } from '../../../native-models/runtime/session.ts'
import { inlineExternalData } from '../../../native-models/surgery/external-data.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { writeModelFile } from '../../../native-models/surgery/model-file.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import { TINY_INPUT_DIMS, tinyClassifier } from '../../unit/surgery/helpers/tiny-classifier.ts'

const TINY_FEEDS = { input: { data: new Float32Array(96).fill(0.25), dims: TINY_INPUT_DIMS } }
const RESNET_FEEDS = {
  input: { data: new Float32Array(3 * 32 * 32).fill(0.5), dims: [1, 3, 32, 32] },
}

async function expectRejectsWithCode(
  promise: Promise<unknown>,
  code: string,
  message: RegExp,
): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(Error)
  expect((error as { code?: unknown }).code).toBe(code)
  expect((error as Error).message).toMatch(message)
}

let folder = ''
let tinyPath = ''
let externalPath = ''
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'runtime-session-'))
  tinyPath = join(folder, 'tiny.onnx')
  await writeModelFile(tinyPath, tinyClassifier(17))
  externalPath = join(folder, 'resnet18.onnx')
  const request = {
    depth: 18,
    numClasses: 10,
    inputSize: 32,
    cifarStem: false,
    bnFolded: true,
  } as const
  await writeSynthesizedResNet(externalPath, {
    ...request,
    opset: 17,
    seed: 9,
    batch: 'dynamic',
    externalData: true,
  })
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('createSession', () => {
  it('runs a model from a path and from bytes with the same float32 outputs', async () => {
    const fromPath = await createSession(tinyPath, { intraOpNumThreads: 1 })
    const fromBytes = await createSession(await readFile(tinyPath), { intraOpNumThreads: 1 })
    const a = await fromPath.run(TINY_FEEDS)
    const b = await fromBytes.run(TINY_FEEDS)
    expect(fromPath.inputNames).toEqual(['input'])
    expect(fromPath.outputNames).toEqual(['logits'])
    expect(a.logits?.data).toBeInstanceOf(Float32Array)
    expect(a.logits?.dims).toEqual([2, 5])
    expect(b.logits?.data).toEqual(a.logits?.data)
    await Promise.all([fromPath.release(), fromBytes.release()])
  })

  it('returns only the outputs asked for', async () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    const tap = builder.addOutput('/relu/Relu_output_0')
    const session = await createSession(builder.encode(), { intraOpNumThreads: 1 })
    const outputs = await session.run(TINY_FEEDS, [tap])
    expect(Object.keys(outputs)).toEqual([tap])
    expect(outputs[tap]?.dims).toEqual([2, 4, 4, 4])
    await session.release()
  })

  it('finds external data next to a model opened by path', async () => {
    const session = await createSession(externalPath, { intraOpNumThreads: 1 })
    expect((await session.run(RESNET_FEEDS)).logits?.dims).toEqual([1, 10])
    await session.release()
  })

  it('cannot find external data for edited bytes alone and says EXTERNAL_DATA_MISSING', async () => {
    const edited = GraphBuilder.fromBytes(await readFile(externalPath)).encode()
    await expectRejectsWithCode(
      createSession(edited, { intraOpNumThreads: 1 }),
      'EXTERNAL_DATA_MISSING',
      /External data/,
    )
  })

  it('finds external data for edited bytes when given the folder', async () => {
    const builder = GraphBuilder.fromBytes(await readFile(externalPath))
    const tap = builder.addOutput('/layer4/layer4.1/relu_1/Relu_output_0')
    const session = await createSession(builder.encode(), {
      intraOpNumThreads: 1,
      externalDataFolder: folder,
    })
    const outputs = await session.run(RESNET_FEEDS)
    expect(outputs[tap]?.dims).toEqual([1, 512, 1, 1])
    await session.release()
  })

  it('runs edited bytes whose external tensors were inlined, with the same logits', async () => {
    const inlined = inlineExternalData(decodeModelProto(await readFile(externalPath)), folder)
    const session = await createSession(encodeModelProto(inlined), { intraOpNumThreads: 1 })
    const byPath = await createSession(externalPath, { intraOpNumThreads: 1 })
    expect((await session.run(RESNET_FEEDS)).logits?.data).toEqual(
      (await byPath.run(RESNET_FEEDS)).logits?.data,
    )
    await Promise.all([session.release(), byPath.release()])
  })

  it('refuses an execution provider it does not know with INVALID_ARGUMENT', async () => {
    const provider = 'tpu' as unknown as 'cpu'
    await expectRejectsWithCode(
      createSession(tinyPath, { provider }),
      'INVALID_ARGUMENT',
      /'tpu'.*auto, cuda, dml, cpu/,
    )
  })

  it('refuses to return a non-float32 output with UNSUPPORTED_DTYPE', async () => {
    const builder = new GraphBuilder(tinyClassifier(17))
    const [shape] = builder.addNode({ opType: 'Shape', inputs: ['logits'] })
    builder.addOutput(shape ?? '')
    const session = await createSession(builder.encode(), { intraOpNumThreads: 1 })
    await expectRejectsWithCode(session.run(TINY_FEEDS), 'UNSUPPORTED_DTYPE', /int64/)
    await session.release()
  })
})
