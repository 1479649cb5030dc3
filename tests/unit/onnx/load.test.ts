import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  loadModel,
  loadModelFromBytes,
  ModelError,
  readInitializerFloat32,
} from '../../../native-models/onnx/index.ts'
import { DataType, encodeModelProto } from '../../../native-models/onnx/proto.ts'
import type { ModelProto, TensorProto } from '../../../native-models/onnx/proto.ts'
import { MODELS_FOLDER } from '../../fixtures/models/corpus.ts'

function externalTensor(name: string, location: string, values: number[]): TensorProto {
  return {
    name,
    dims: [values.length],
    dataType: DataType.FLOAT,
    dataLocation: 1,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: '0' },
      { key: 'length', value: String(values.length * 4) },
    ],
  }
}

function modelWith(initializer: TensorProto[]): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      node: [{ opType: 'Identity', input: [initializer[0]?.name ?? ''], output: ['y'] }],
      initializer,
    },
  }
}

const float32Bytes = (values: number[]): Uint8Array =>
  new Uint8Array(Float32Array.from(values).buffer)

async function refusal(loading: Promise<unknown>): Promise<ModelError> {
  const error = await loading.then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ModelError)
  return error as ModelError
}

describe('loadModel', () => {
  let folder = ''
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'onnx-load-'))
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('hashes the model file followed by its external-data files in name order', async () => {
    const model = modelWith([
      externalTensor('b', 'b.bin', [2, 3]),
      externalTensor('a', 'a.bin', [1]),
    ])
    const files = {
      'two-files.onnx': encodeModelProto(model),
      'a.bin': float32Bytes([1]),
      'b.bin': float32Bytes([2, 3]),
    }
    for (const [name, bytes] of Object.entries(files))
      await writeFile(path.join(folder, name), bytes)
    const loaded = await loadModel(path.join(folder, 'two-files.onnx'))
    const expected = createHash('sha256')
    for (const bytes of [files['two-files.onnx'], files['a.bin'], files['b.bin']])
      expected.update(bytes)
    expect(loaded.sha256).toBe(expected.digest('hex'))
    expect(loaded.externalDataFiles).toEqual(['a.bin', 'b.bin'])
    expect(loaded.sizeBytes).toBe(files['two-files.onnx'].byteLength + 4 + 8)
    expect(readInitializerFloat32(loaded, 'b')).toEqual(Float32Array.from([2, 3]))
  })

  it('reads initializers from raw_data, float_data and external data alike', async () => {
    const inline = await loadModel(path.join(MODELS_FOLDER, 'tiny-resnet.onnx'))
    const external = await loadModel(path.join(MODELS_FOLDER, 'tiny-external.onnx'))
    const weight = readInitializerFloat32(inline, 'layer2.0.conv1.weight')
    expect(weight).toHaveLength(8 * 4 * 3 * 3)
    expect(readInitializerFloat32(external, 'layer2.0.conv1.weight')).toEqual(weight)
    const floatData = modelWith([
      { name: 'w', dims: [2], dataType: DataType.FLOAT, floatData: [0.5, -1] },
    ])
    const loaded = await loadModelFromBytes(encodeModelProto(floatData), { fileName: 'f.onnx' })
    expect(readInitializerFloat32(loaded, 'w')).toEqual(Float32Array.from([0.5, -1]))
  })

  it('returns a copy of the weights, so callers may modify it', async () => {
    const loaded = await loadModel(path.join(MODELS_FOLDER, 'tiny-resnet.onnx'))
    readInitializerFloat32(loaded, 'conv1.weight').fill(0)
    expect(readInitializerFloat32(loaded, 'conv1.weight').some((v) => v !== 0)).toBe(true)
  })

  it('names the data file and the model when external data is missing or short', async () => {
    const missing = await refusal(loadModel(path.join(MODELS_FOLDER, 'external-missing.onnx')))
    expect(missing.code).toBe('EXTERNAL_DATA_MISSING')
    expect(missing.message).toContain("'missing-weights.data' of external-missing.onnx")
    const short = await refusal(loadModel(path.join(MODELS_FOLDER, 'external-short.onnx')))
    expect(short.message).toContain(
      "'external-short.onnx.data' of external-short.onnx is too short",
    )
  })

  it('refuses external data outside the model folder', async () => {
    const bytes = encodeModelProto(modelWith([externalTensor('w', '../elsewhere.bin', [1])]))
    const error = await refusal(
      loadModelFromBytes(bytes, { fileName: 'm.onnx', directory: folder }),
    )
    expect(error.code).toBe('EXTERNAL_DATA_MISSING')
    expect(error.message).toContain('outside the model')
  })

  it('needs the folder to read external data of a model given as bytes', async () => {
    const bytes = await readFile(path.join(MODELS_FOLDER, 'tiny-external.onnx'))
    const error = await refusal(loadModelFromBytes(bytes, { fileName: 'tiny-external.onnx' }))
    expect(error.code).toBe('EXTERNAL_DATA_MISSING')
    const loaded = await loadModelFromBytes(bytes, {
      fileName: 'tiny-external.onnx',
      directory: MODELS_FOLDER,
    })
    expect(loaded.externalDataFiles).toEqual(['tiny-external.onnx.data'])
  })

  it('reports a missing path as NOT_FOUND and a folder as NOT_ONNX', async () => {
    expect((await refusal(loadModel(path.join(folder, 'nope.onnx')))).code).toBe('NOT_FOUND')
    expect((await refusal(loadModel(folder))).code).toBe('NOT_ONNX')
  })

  it('refuses a model that decodes but holds no nodes as EMPTY_GRAPH', async () => {
    const bytes = encodeModelProto({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'g' },
    })
    const error = await refusal(loadModelFromBytes(bytes, { fileName: 'hollow.onnx' }))
    expect(error.code).toBe('EMPTY_GRAPH')
    expect(error.message).toContain('hollow.onnx')
  })
})
