import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SynthRequest } from '../../../electron/api/contract/index.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import type { ModelProto, NodeProto, TensorProto } from '../../../native-models/onnx/proto.ts'
import { findAttribute } from '../../../native-models/surgery/attributes.ts'
import {
  firstFoldedInitializerId,
  RESNET_SPECS,
  scopeOf,
} from '../../../native-models/surgery/resnet-spec.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'
import { readFloat32 } from '../../../native-models/surgery/tensors.ts'
import { expectErrorCode } from './helpers/expect-error.ts'

const RESNET18: SynthRequest = {
  depth: 18,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded: false,
  opset: 17,
  seed: 42,
  batch: 2,
  externalData: false,
}

function sha256(model: ModelProto): string {
  return createHash('sha256').update(encodeModelProto(model)).digest('hex')
}

function nodesOf(model: ModelProto, opType: string): NodeProto[] {
  return model.graph?.node?.filter((node) => node.opType === opType) ?? []
}

function initializer(model: ModelProto, name: string): TensorProto {
  const found = model.graph?.initializer?.find((tensor) => tensor.name === name)
  if (found === undefined) throw new Error(`no initializer ${name}`)
  return found
}

/** Learnable parameters, as torchvision counts them: BN running statistics are buffers. */
function parameterCount(model: ModelProto): number {
  return (model.graph?.initializer ?? [])
    .filter((tensor) => !/running_(mean|var)$/.test(tensor.name ?? ''))
    .reduce((sum, tensor) => sum + (tensor.dims ?? []).reduce((a, b) => a * b, 1), 0)
}

function range(values: Float32Array): { min: number; max: number } {
  return values.reduce((r, v) => ({ min: Math.min(r.min, v), max: Math.max(r.max, v) }), {
    min: Infinity,
    max: -Infinity,
  })
}

function standardDeviation(values: Float32Array): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length)
}

// Synthesis costs ≈0.5 s per ResNet18, so tests share models: the base request, and one variant
// that differs in every option at once.
const VARIANT: SynthRequest = {
  ...RESNET18,
  seed: 43,
  cifarStem: true,
  batch: 'dynamic',
  opset: 13,
  numClasses: 7,
  inputSize: 40,
}
let base: ModelProto
let variant: ModelProto
beforeAll(() => {
  base = synthesizeResNet(RESNET18)
  variant = synthesizeResNet(VARIANT)
})

describe('synthesizeResNet determinism', () => {
  it('writes byte-identical models for the same request and seed', () => {
    expect(sha256(synthesizeResNet({ ...RESNET18 }))).toBe(sha256(base))
  })

  it('writes different weights for a different seed', () => {
    const weight = 'layer1.0.conv1.weight'
    expect(readFloat32(initializer(variant, weight))).not.toEqual(
      readFloat32(initializer(base, weight)),
    )
  })

  it('encodes the same bytes whatever the key order of the request', () => {
    const reordered = Object.fromEntries(
      Object.entries(RESNET18).reverse(),
    ) as unknown as SynthRequest
    expect(sha256(synthesizeResNet(reordered))).toBe(sha256(base))
  })
})

describe('synthesizeResNet architecture', () => {
  let kept: ModelProto
  let folded: ModelProto
  beforeAll(() => {
    const request = { ...RESNET18, depth: 50, numClasses: 1000 } as const
    kept = synthesizeResNet(request)
    folded = synthesizeResNet({ ...request, bnFolded: true })
  })

  it('counts the parameters torchvision ResNet50 has, BN kept and folded', () => {
    expect(parameterCount(kept)).toBe(25_557_032)
    expect(parameterCount(folded)).toBe(25_530_472)
  })

  it('has the node layout of a torch 1.13 ResNet50 export', () => {
    expect(nodesOf(kept, 'Conv')).toHaveLength(53)
    expect(nodesOf(kept, 'BatchNormalization')).toHaveLength(53)
    expect(nodesOf(folded, 'BatchNormalization')).toHaveLength(0)
    expect(nodesOf(kept, 'Relu')).toHaveLength(49)
    expect(nodesOf(kept, 'Add')).toHaveLength(16)
    const names = kept.graph?.node?.map((node) => node.name) ?? []
    expect(names.slice(0, 4)).toEqual([
      '/conv1/Conv',
      '/bn1/BatchNormalization',
      '/relu/Relu',
      '/maxpool/MaxPool',
    ])
    expect(names).toContain('/layer1/layer1.0/relu_2/Relu')
    expect(names).toContain('/layer1/layer1.0/downsample/downsample.1/BatchNormalization')
    expect(names.slice(-3)).toEqual(['/avgpool/GlobalAveragePool', '/Flatten', '/fc/Gemm'])
    const block = kept.graph?.node?.find((node) => node.name === '/layer1/layer1.0/Add')
    expect(block?.output).toEqual(['/layer1/layer1.0/Add_output_0'])
  })

  it('puts the stride on the 3×3 conv of a bottleneck (v1.5)', () => {
    const strides = (name: string): number[] | undefined =>
      findAttribute(kept.graph?.node?.find((node) => node.name === name) ?? {}, 'strides')?.ints
    expect(strides('/layer2/layer2.0/conv1/Conv')).toEqual([1, 1])
    expect(strides('/layer2/layer2.0/conv2/Conv')).toEqual([2, 2])
    expect(strides('/layer2/layer2.0/downsample/downsample.0/Conv')).toEqual([2, 2])
  })

  it('names folded initializers like torch 1.13 (onnx::Conv_497 first, classifier first)', () => {
    const names = folded.graph?.initializer?.map((tensor) => tensor.name) ?? []
    expect(names.slice(0, 5)).toEqual([
      'fc.weight',
      'fc.bias',
      'onnx::Conv_497',
      'onnx::Conv_498',
      'onnx::Conv_500',
    ])
    expect(names.at(-1)).toBe('onnx::Conv_654')
    expect(kept.graph?.initializer?.map((tensor) => tensor.name).slice(0, 5)).toEqual([
      'conv1.weight',
      'bn1.weight',
      'bn1.bias',
      'bn1.running_mean',
      'bn1.running_var',
    ])
  })

  it('initialises convs with std √(2/fan_out) and BN with identity statistics', () => {
    const weight = readFloat32(initializer(kept, 'layer3.0.conv2.weight'))
    expect(standardDeviation(weight) / Math.sqrt(2 / (256 * 9))).toBeCloseTo(1, 2)
    expect(new Set(readFloat32(initializer(kept, 'layer3.0.bn2.weight')))).toEqual(new Set([1]))
    expect(new Set(readFloat32(initializer(kept, 'layer3.0.bn2.running_var')))).toEqual(
      new Set([1]),
    )
    expect(new Set(readFloat32(initializer(kept, 'layer3.0.bn2.running_mean')))).toEqual(
      new Set([0]),
    )
  })

  it('initialises the classifier like torch.nn.Linear: U(±1/√in)', () => {
    const weight = readFloat32(initializer(kept, 'fc.weight'))
    const bound = 1 / Math.sqrt(2048)
    const { min, max } = range(weight)
    expect(max).toBeLessThanOrEqual(bound)
    expect(min).toBeGreaterThanOrEqual(-bound)
    expect(max).toBeGreaterThan(0.99 * bound)
  })

  it('folds the same convolution weights that the BN-kept model holds', () => {
    const original = readFloat32(initializer(kept, 'conv1.weight'))
    const foldedWeight = readFloat32(initializer(folded, 'onnx::Conv_497'))
    const scale = 1 / Math.sqrt(1 + 1e-5)
    expect(foldedWeight[123]).toBe(Math.fround((original[123] ?? 0) * scale))
    expect(new Set(readFloat32(initializer(folded, 'onnx::Conv_498')))).toEqual(new Set([0]))
  })
})

describe('synthesizeResNet options', () => {
  it('uses a 3×3/1 stem without max pool for the CIFAR variant', () => {
    const conv1 = variant.graph?.node?.[0] ?? {}
    expect(findAttribute(conv1, 'kernel_shape')?.ints).toEqual([3, 3])
    expect(findAttribute(conv1, 'strides')?.ints).toEqual([1, 1])
    expect(nodesOf(variant, 'MaxPool')).toHaveLength(0)
    expect(nodesOf(base, 'MaxPool')).toHaveLength(1)
  })

  it('declares a symbolic batch dimension when asked for a dynamic batch', () => {
    expect(variant.graph?.input?.[0]?.type?.tensorType?.shape?.dim).toEqual([
      { dimParam: 'batch' },
      { dimValue: 3 },
      { dimValue: 40 },
      { dimValue: 40 },
    ])
    expect(variant.graph?.output?.[0]).toMatchObject({ name: 'logits' })
    expect(variant.graph?.output?.[0]?.type?.tensorType?.shape?.dim).toEqual([
      { dimParam: 'batch' },
      { dimValue: 7 },
    ])
    expect(base.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[0]).toEqual({ dimValue: 2 })
  })

  it('gives BatchNormalization a training_mode attribute only from opset 14', () => {
    const at13 = nodesOf(variant, 'BatchNormalization')[0] ?? {}
    const at17 = nodesOf(base, 'BatchNormalization')[0] ?? {}
    expect(findAttribute(at13, 'training_mode')).toBeUndefined()
    expect(findAttribute(at17, 'training_mode')?.i).toBe(0)
  })

  it('records the producer and the request in the model', () => {
    expect(base.producerName).toBe('resnet-workbench synth')
    expect(base.opsetImport).toEqual([{ domain: '', version: 17 }])
    expect(JSON.parse(base.metadataProps?.[0]?.value ?? '{}')).toEqual(RESNET18)
  })

  it('refuses an impossible request with INVALID_ARGUMENT naming every problem', () => {
    const request = { ...RESNET18, depth: 20, opset: 19, numClasses: 0 } as unknown as SynthRequest
    expectErrorCode(
      () => synthesizeResNet(request),
      'INVALID_ARGUMENT',
      /depth 20.*numClasses 0.*opset 19/,
    )
  })
})

describe('torch 1.13 naming rules', () => {
  it.each([
    [18, false, 193],
    [18, true, 192],
    [34, false, 345],
    [50, false, 497],
    [101, false, 973],
    [101, true, 972],
  ] as const)(
    'numbers the first folded conv of ResNet%i (CIFAR stem %s) onnx::Conv_%i',
    (depth, cifar, id) => {
      // Measured on torch 1.13 / torchvision 0.14 exports at opset 13 and 17.
      expect(firstFoldedInitializerId(RESNET_SPECS[depth], cifar)).toBe(id)
    },
  )

  it('writes module scopes the way the exporter does', () => {
    expect(scopeOf('conv1')).toBe('/conv1')
    expect(scopeOf('layer1.0.conv1')).toBe('/layer1/layer1.0/conv1')
    expect(scopeOf('layer4.0.downsample.0')).toBe('/layer4/layer4.0/downsample/downsample.0')
  })
})
