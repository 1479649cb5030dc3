import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ModelSummary } from '../../../electron/api/contract/index.ts'
import {
  ModelError,
  summarizeModel,
  summarizeModelBytes,
} from '../../../native-models/onnx/index.ts'
import { DataType, encodeModelProto } from '../../../native-models/onnx/proto.ts'
import type { ModelProto, NodeProto } from '../../../native-models/onnx/proto.ts'
import { MODELS_FOLDER } from '../../fixtures/models/corpus.ts'
import { buildTinyResNet } from '../../fixtures/models/tiny-resnet.ts'
import type { TinyResNetOptions } from '../../fixtures/models/tiny-resnet.ts'

function tiny(options: Partial<TinyResNetOptions> = {}): ModelProto {
  return buildTinyResNet(options).model
}

function nodes(model: ModelProto): NodeProto[] {
  return model.graph?.node ?? []
}

async function summarize(model: ModelProto): Promise<ModelSummary> {
  return summarizeModelBytes(encodeModelProto(model), { fileName: 'edited.onnx' })
}

async function refusal(model: ModelProto): Promise<ModelError> {
  const error = await summarize(model).then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ModelError)
  return error as ModelError
}

function layer(summary: ModelSummary, key: string): ModelSummary['layers'][number] {
  const found = summary.layers.find((l) => l.key === key)
  if (!found) throw new Error(`no layer ${key}`)
  return found
}

describe('ResNet structure', () => {
  it('puts each block output at the Relu after its residual Add, the tap later analyses use', async () => {
    const summary = await summarizeModel(path.join(MODELS_FOLDER, 'torch-resnet18-cifar_op17.onnx'))
    expect(layer(summary, 'stem').outputName).toBe('/relu/Relu_output_0')
    expect(layer(summary, 'layer1.0').outputName).toBe('/layer1/layer1.0/relu_1/Relu_output_0')
    expect(layer(summary, 'layer4.1').outputName).toBe('/layer4/layer4.1/relu_1/Relu_output_0')
    expect(layer(summary, 'fc')).toMatchObject({
      outputName: 'output',
      outputShape: [1, 10],
      kind: 'classifier',
    })
    expect(summary.layers.map((l) => l.hasDownsample)).toEqual([
      false,
      false,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      false,
    ])
  })

  it('finds blocks by topology when the file lists its nodes out of order', async () => {
    const model = tiny()
    const ordered = await summarize(model)
    nodes(model).reverse()
    const shuffled = await summarize(model)
    expect(shuffled.layers.map(({ key, params, macs }) => ({ key, params, macs }))).toEqual(
      ordered.layers.map(({ key, params, macs }) => ({ key, params, macs })),
    )
  })

  it('falls back to positional keys, with a warning, when node scopes contradict block positions', async () => {
    const model = tiny()
    for (const node of nodes(model))
      node.name = node.name?.replace('/layer2/layer2.0/', '/layer3/layer3.0/')
    const summary = await summarize(model)
    expect(summary.layers.map((l) => [l.key, l.keySource])).toEqual([
      ['stem', 'scope'],
      ['layer1.0', 'position'],
      ['layer2.0', 'position'],
      ['fc', 'scope'],
    ])
    expect(summary.warnings.join(' ')).toContain("block layer2.0 is named 'layer3.0'")
  })

  it('counts a tensor two convolutions read once, but Identity copies once per reading slot', async () => {
    const plain = await summarize(tiny())
    const tied = tiny()
    const conv2 = nodes(tied).find((n) => n.name === '/layer1/layer1.0/conv2/Conv')
    conv2?.input?.splice(1, 1, 'layer1.0.conv1.weight')
    expect((await summarize(tied)).params).toBe(plain.params - 4 * 4 * 3 * 3)
    const copied = tiny()
    const copyTarget = nodes(copied).find((n) => n.name === '/layer1/layer1.0/conv2/Conv')
    copyTarget?.input?.splice(1, 1, 'shared_copy')
    nodes(copied).unshift({
      name: 'Identity_0',
      opType: 'Identity',
      input: ['layer1.0.conv1.weight'],
      output: ['shared_copy'],
    })
    expect((await summarize(copied)).params).toBe(plain.params)
  })

  it('reads a Sub-only normalisation as a mean with unit std', async () => {
    const model = tiny({ normalization: 'sub-div' })
    const div = nodes(model).findIndex((n) => n.opType === 'Div')
    const [removed] = nodes(model).splice(div, 1)
    const conv = nodes(model).find((n) => n.name === '/conv1/Conv')
    conv?.input?.splice(0, 1, removed?.input?.[0] ?? '')
    expect((await summarize(model)).inputNormalization).toEqual({
      mean: [0.485, 0.456, 0.406],
      std: [1, 1, 1],
    })
  })

  it('refuses a backbone whose last block feeds no classifier', async () => {
    const model = tiny()
    nodes(model).pop()
    const flatten = nodes(model).at(-1)
    flatten?.output?.splice(0, 1, 'logits')
    const error = await refusal(model)
    expect(error.code).toBe('NOT_IMAGE_CLASSIFIER')
    expect(error.message).toContain('no Gemm/MatMul classifier follows the last block')
  })

  it('names the domain of an operator from another domain', async () => {
    const model = tiny()
    const relu = nodes(model).find((n) => n.opType === 'Relu')
    if (relu) relu.domain = 'com.microsoft'
    const error = await refusal(model)
    expect(error.code).toBe('UNSUPPORTED_OPERATOR')
    expect(error.message).toContain("com.microsoft::Relu (node '/relu/Relu')")
  })

  it('refuses uint8 images and int8 weights as UNSUPPORTED_DTYPE', async () => {
    const uint8Input = tiny()
    const input = uint8Input.graph?.input?.[0]?.type?.tensorType
    if (input) input.elemType = DataType.UINT8
    expect((await refusal(uint8Input)).message).toContain("takes uint8 images ('input')")
    const quantised = tiny()
    const weight = quantised.graph?.initializer?.[0]
    if (weight) weight.dataType = DataType.INT8
    expect((await refusal(quantised)).message).toContain("int8 weights ('conv1.weight')")
  })

  it('refuses opsets outside 11–18 and a model that imports none', async () => {
    for (const version of [10, 19]) {
      const model = { ...tiny(), opsetImport: [{ domain: '', version }] }
      expect((await refusal(model)).message).toContain(
        `opset ${version}; the workbench reads opsets 11–18`,
      )
    }
    const none = { ...tiny(), opsetImport: [{ domain: 'ai.onnx.ml', version: 3 }] }
    expect((await refusal(none)).message).toContain('imports no ai.onnx opset')
  })

  it('reports MACs at batch 1 whatever batch the graph declares', async () => {
    const fixed = await summarize(tiny({ batch: 8 }))
    const single = await summarize(tiny())
    expect(fixed.inputs[0]?.shape).toEqual([8, 3, 16, 16])
    expect(fixed.outputs[0]?.shape).toEqual([8, 5])
    expect(fixed.macs).toBe(single.macs)
    expect(layer(fixed, 'layer2.0').outputShape).toEqual([1, 8, 2, 2])
  })
})
