import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SynthRequest } from '../../../electron/api/contract/index.ts'
import { analyzeModel, loadModel, loadModelFromBytes } from '../../../native-models/onnx/index.ts'
import {
  layerKeyOfParameterName,
  modelParameters,
  modulePathOfNodeName,
} from '../../../native-models/onnx/parameter-keys.ts'
import type { ModelParameter } from '../../../native-models/onnx/parameter-keys.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import type { ModelProto } from '../../../native-models/onnx/proto.ts'
import { scopeOf } from '../../../native-models/surgery/resnet-spec.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'
import { MODELS_FOLDER } from '../../fixtures/models/corpus.ts'

interface NamedParameter {
  name: string
  shape: number[]
}

const torchvision = JSON.parse(
  readFileSync(
    new URL(
      '../../fixtures/goldens/parameter-keys/torchvision-resnet50-named-parameters.json',
      import.meta.url,
    ),
    'utf8',
  ),
) as { parameters: NamedParameter[] }

const RESNET50: SynthRequest = {
  depth: 50,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded: false,
  opset: 17,
  seed: 3,
  batch: 1,
  externalData: false,
}

type Parameters = ReturnType<typeof modelParameters>

async function parametersOf(model: ModelProto): Promise<Parameters> {
  const loaded = await loadModelFromBytes(encodeModelProto(model), { fileName: 'synth.onnx' })
  return modelParameters(analyzeModel(loaded))
}

function byKey(parameters: readonly ModelParameter[]): Map<string | null, ModelParameter> {
  return new Map(parameters.map((p) => [p.parameterKey, p]))
}

/** torch writes a parameter equal to one already written as an Identity of it. */
function aliasThroughIdentity(model: ModelProto, alias: string, source: string): ModelProto {
  const graph = model.graph ?? {}
  return {
    ...model,
    graph: {
      ...graph,
      initializer: (graph.initializer ?? []).filter((tensor) => tensor.name !== alias),
      node: [
        { name: 'Identity_0', opType: 'Identity', input: [source], output: [alias] },
        ...(graph.node ?? []),
      ],
    },
  }
}

// Synthesizing and analysing a ResNet50 takes seconds: the tests share the two exports.
let kept: ModelProto
let keptParameters: Parameters
let foldedParameters: Parameters
beforeAll(async () => {
  kept = synthesizeResNet(RESNET50)
  keptParameters = await parametersOf(kept)
  foldedParameters = await parametersOf(synthesizeResNet({ ...RESNET50, bnFolded: true }))
}, 60_000)

describe('parameter keys', () => {
  it('names every parameter of a BN-kept ResNet50 as torchvision’s named_parameters, with its shape', () => {
    const { parameters, unmapped } = keptParameters
    expect(unmapped).toEqual([])
    const found = parameters.map((p) => ({ name: p.parameterKey, shape: p.shape }))
    const sortByName = (a: { name: string | null }, b: { name: string | null }): number =>
      String(a.name).localeCompare(String(b.name))
    expect(found.sort(sortByName)).toEqual([...torchvision.parameters].sort(sortByName))
  })

  it('maps all 161 logged grad_norms names to the layer key the model structure gives them', () => {
    const structural = byKey(keptParameters.parameters)
    const names = torchvision.parameters.map((p) => p.name)
    expect(names).toHaveLength(161)
    const mapped = names.filter((name) => {
      const key = layerKeyOfParameterName(name)
      return key !== null && key === structural.get(name)?.layerKey
    })
    expect(mapped).toEqual(names)
  })

  it('keeps the conv scopes of a BN-folded export whose initializers are onnx::Conv_*', () => {
    const { parameters, unmapped } = foldedParameters
    expect(unmapped).toEqual([])
    const convWeights = parameters.filter((p) => p.opType === 'Conv' && p.role === 'weight')
    expect(convWeights).toHaveLength(53)
    expect(convWeights.every((p) => p.initializer.startsWith('onnx::Conv_'))).toBe(true)
    const keptConvs = torchvision.parameters.filter((p) => p.shape.length === 4)
    expect(convWeights.map((p) => p.parameterKey).sort()).toEqual(
      keptConvs.map((p) => p.name).sort(),
    )
    expect(byKey(parameters).get('layer1.0.downsample.0.bias')).toMatchObject({
      role: 'bias',
      layerKey: 'layer1.0',
      shape: [256],
    })
    expect(byKey(parameters).get('fc.weight')).toMatchObject({
      initializer: 'fc.weight',
      opType: 'Gemm',
      layerKey: 'fc',
    })
    expect(parameters).toHaveLength(53 * 2 + 2)
  })

  it('lists a parameter torch aliased through Identity under its own name, with the initializer holding it', async () => {
    const aliased = aliasThroughIdentity(kept, 'layer2.0.downsample.1.bias', 'layer2.0.bn3.bias')
    const { parameters } = await parametersOf(aliased)
    expect(parameters).toHaveLength(161)
    expect(byKey(parameters).get('layer2.0.downsample.1.bias')).toMatchObject({
      initializer: 'layer2.0.downsample.1.bias',
      valuesFrom: 'layer2.0.bn3.bias',
      role: 'bn-bias',
      layerKey: 'layer2.0',
      shape: [512],
    })
    expect(byKey(parameters).get('layer2.0.bn3.bias')?.valuesFrom).toBe('layer2.0.bn3.bias')
  })

  it('lists the parameters of unnamed nodes as unmapped, each still with its layer key', async () => {
    const analysis = analyzeModel(
      await loadModel(path.join(MODELS_FOLDER, 'tiny-cifar-unnamed.onnx')),
    )
    const { parameters, unmapped } = modelParameters(analysis)
    expect(parameters.length).toBeGreaterThan(0)
    expect(parameters.every((p) => p.parameterKey === null)).toBe(true)
    expect(unmapped).toEqual(parameters.map((p) => p.initializer))
    const layerKeys = new Set(parameters.map((p) => p.layerKey))
    expect(layerKeys.has('stem')).toBe(true)
    expect(layerKeys.has('fc')).toBe(true)
    expect([...layerKeys].filter((key) => /^layer\d+\.\d+$/.test(key)).length).toBeGreaterThan(0)
  })

  it('reads the module path back from every scope torch writes', () => {
    for (const module of ['conv1', 'fc', 'layer1.0.conv1', 'layer4.2.downsample.0', 'a.0.1.b']) {
      expect(modulePathOfNodeName(`${scopeOf(module)}/Conv`)).toBe(module)
    }
    expect(modulePathOfNodeName('/Flatten')).toBeNull()
    expect(modulePathOfNodeName('Conv_12')).toBeNull()
    expect(modulePathOfNodeName('//Conv')).toBeNull()
  })

  it('maps logged torchvision parameter names to layer keys', () => {
    expect(layerKeyOfParameterName('layer1.0.conv1.weight')).toBe('layer1.0')
    expect(layerKeyOfParameterName('layer3.12.downsample.1.bias')).toBe('layer3.12')
    expect(layerKeyOfParameterName('conv1.weight')).toBe('stem')
    expect(layerKeyOfParameterName('bn1.bias')).toBe('stem')
    expect(layerKeyOfParameterName('fc.weight')).toBe('fc')
    expect(layerKeyOfParameterName('module.layer2.1.bn2.weight')).toBe('layer2.1')
    expect(layerKeyOfParameterName('classifier.weight')).toBeNull()
    expect(layerKeyOfParameterName('layer1.weight')).toBeNull()
  })
})
