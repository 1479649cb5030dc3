import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeModelProto } from '../../../native-models/onnx/proto.ts'
import type { ModelProto } from '../../../native-models/onnx/proto.ts'
import {
  externalizeInitializers,
  hasExternalData,
  inlineExternalData,
} from '../../../native-models/surgery/external-data.ts'
import { writeModelFile } from '../../../native-models/surgery/model-file.ts'
import { float32Tensor, readFloat32 } from '../../../native-models/surgery/tensors.ts'
import { expectErrorCode } from './helpers/expect-error.ts'
import { patternValues, tinyClassifier } from './helpers/tiny-classifier.ts'

/** The tiny classifier plus one tensor above the 1 KB threshold. */
function modelWithLargeTensor(): ModelProto {
  const model = tinyClassifier(17)
  model.graph?.initializer?.push(float32Tensor('large', [16, 32], patternValues(512)))
  return model
}

let folder = ''
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'surgery-external-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('external data', () => {
  it('moves only tensors of at least 1 KB out of the model', () => {
    const { model, data } = externalizeInitializers(modelWithLargeTensor(), 'm.onnx.data')
    const large = model.graph?.initializer?.find((t) => t.name === 'large')
    expect(data.length).toBe(2048)
    expect(large?.rawData).toBeUndefined()
    expect(large?.externalData).toEqual([
      { key: 'location', value: 'm.onnx.data' },
      { key: 'offset', value: '0' },
      { key: 'length', value: '2048' },
    ])
    expect(hasExternalData(model)).toBe(true)
    expect(model.graph?.initializer?.find((t) => t.name === 'fc.weight')?.rawData?.length).toBe(80)
  })

  it('inlines external tensors back to the same values', async () => {
    const original = modelWithLargeTensor()
    const { model, data } = externalizeInitializers(original, 'm.onnx.data')
    await writeFile(join(folder, 'm.onnx.data'), data)
    const inlined = inlineExternalData(model, folder)
    const tensor = inlined.graph?.initializer?.find((t) => t.name === 'large') ?? {}
    expect(readFloat32(tensor)).toEqual(patternValues(512))
    expect(hasExternalData(inlined)).toBe(false)
    expect(hasExternalData(model)).toBe(true)
  })

  it('reports a missing data file as EXTERNAL_DATA_MISSING', () => {
    const { model } = externalizeInitializers(modelWithLargeTensor(), 'm.onnx.data')
    expectErrorCode(
      () => inlineExternalData(model, folder),
      'EXTERNAL_DATA_MISSING',
      /m\.onnx\.data/,
    )
  })

  it('refuses a location outside the model folder', () => {
    const { model } = externalizeInitializers(modelWithLargeTensor(), '../elsewhere.data')
    expectErrorCode(() => inlineExternalData(model, folder), 'EXTERNAL_DATA_MISSING', /outside/)
  })

  it('reports a data file that ends early as TRUNCATED', async () => {
    const { model, data } = externalizeInitializers(modelWithLargeTensor(), 'm.onnx.data')
    await writeFile(join(folder, 'm.onnx.data'), data.subarray(0, 100))
    expectErrorCode(() => inlineExternalData(model, folder), 'TRUNCATED')
  })
})

describe('writeModelFile', () => {
  it('writes the model and <file>.data and leaves no temporary files', async () => {
    const path = join(folder, 'm.onnx')
    const written = await writeModelFile(path, modelWithLargeTensor(), { externalData: true })
    expect(written).toEqual({
      path,
      sizeBytes: (await readFile(path)).length,
      externalDataPath: `${path}.data`,
      externalDataBytes: 2048,
    })
    expect((await readdir(folder)).sort()).toEqual(['m.onnx', 'm.onnx.data'])
    const decoded = decodeModelProto(await readFile(path))
    expect(
      readFloat32(inlineExternalData(decoded, folder).graph?.initializer?.at(-1) ?? {}),
    ).toEqual(patternValues(512))
  })

  it('writes a single file when external data is not asked for', async () => {
    const written = await writeModelFile(join(folder, 'm.onnx'), modelWithLargeTensor())
    expect(written.externalDataPath).toBeNull()
    expect(await readdir(folder)).toEqual(['m.onnx'])
  })
})
