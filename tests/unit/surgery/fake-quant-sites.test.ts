import { beforeAll, describe, expect, it } from 'vitest'
import type { SynthRequest } from '../../../electron/api/contract/index.ts'
import { analyzeModel, loadModelFromBytes } from '../../../native-models/onnx/index.ts'
import type { ModelAnalysis } from '../../../native-models/onnx/index.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import type { ModelProto } from '../../../native-models/onnx/proto.ts'
import {
  buildFakeQuantGraph,
  findCompressionSites,
} from '../../../native-models/surgery/fake-quant/index.ts'
import type {
  CompressionSite,
  ConvInputSite,
} from '../../../native-models/surgery/fake-quant/index.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'
import { expectErrorCode } from './helpers/expect-error.ts'

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

async function analyze(model: ModelProto): Promise<ModelAnalysis> {
  return analyzeModel(await loadModelFromBytes(encodeModelProto(model), { fileName: 'r50.onnx' }))
}

function site(sites: readonly CompressionSite[], id: string): CompressionSite {
  const found = sites.find((candidate) => candidate.id === id)
  if (found === undefined) throw new Error(`No site '${id}' among ${sites.length}.`)
  return found
}

function convSite(sites: readonly CompressionSite[], id: string): ConvInputSite {
  const found = site(sites, id)
  if (found.kind !== 'conv-input') throw new Error(`'${id}' is a ${found.kind} site.`)
  return found
}

// Synthesizing and analysing a ResNet50 takes seconds: the tests share the two exports.
let kept: CompressionSite[]
let folded: CompressionSite[]
let keptAnalysis: ModelAnalysis
beforeAll(async () => {
  keptAnalysis = await analyze(synthesizeResNet(RESNET50))
  kept = findCompressionSites(keptAnalysis)
  folded = findCompressionSites(await analyze(synthesizeResNet({ ...RESNET50, bnFolded: true })))
}, 60_000)

describe('findCompressionSites on a ResNet50', () => {
  it('finds 48 conv inputs and no BatchNorm input in a BN-folded export', () => {
    expect(folded.filter((s) => s.kind === 'conv-input')).toHaveLength(48)
    expect(folded.filter((s) => s.kind === 'bn-input')).toHaveLength(0)
  })

  it('adds the input of each of the 53 BatchNorms in a BN-kept export', () => {
    expect(kept.filter((s) => s.kind === 'conv-input')).toHaveLength(48)
    expect(kept.filter((s) => s.kind === 'bn-input')).toHaveLength(53)
    expect(kept.map((s) => s.id).slice(0, 4)).toEqual([
      'bn-input:bn1',
      'conv-input:layer1.0.conv1',
      'bn-input:layer1.0.bn1',
      'conv-input:layer1.0.conv2',
    ])
  })

  it('never takes the image, a weight, or a tensor read only by the pooling head', () => {
    const tensors = new Set(kept.map((s) => s.tensor))
    expect(tensors.has('input')).toBe(false)
    expect([...tensors].some((tensor) => tensor.endsWith('.weight'))).toBe(false)
    const lastBlockOutput = keptAnalysis.structure.blocks.at(-1)?.output ?? ''
    expect(tensors.has(lastBlockOutput)).toBe(false)
  })

  it('lists both convolutions of a tensor that also feeds a downsample, with kernel and stride', () => {
    const first = convSite(folded, 'conv-input:layer1.0.conv1')
    expect(first.tensor).toBe('/maxpool/MaxPool_output_0')
    expect(first.blockKey).toBe('layer1.0')
    expect({ channels: first.channels, height: first.height, width: first.width }).toEqual({
      channels: 64,
      height: 8,
      width: 8,
    })
    expect(first.convs.map((c) => [c.layerKey, c.kernel, c.strideProduct])).toEqual([
      ['layer1.0.conv1', [1, 1], 1],
      ['layer1.0.downsample.0', [1, 1], 1],
    ])
    const stage2 = convSite(kept, 'conv-input:layer2.0.conv1')
    expect(stage2.convs.map((c) => [c.layerKey, c.strideProduct])).toEqual([
      ['layer2.0.conv1', 1],
      ['layer2.0.downsample.0', 4],
    ])
    expect(stage2.convs[0]?.weight).toBe('layer2.0.conv1.weight')
    const strided = convSite(kept, 'conv-input:layer2.0.conv2')
    expect(strided.convs.map((c) => [c.kernel, c.strideProduct])).toEqual([[[3, 3], 4]])
    expect([strided.channels, strided.height]).toEqual([128, 8])
  })

  it('takes a block output that feeds the next block and its residual Add as a conv input', () => {
    const consumers = keptAnalysis.ir.consumers.get(site(kept, 'conv-input:layer1.1.conv1').tensor)
    expect(consumers?.map((node) => node.opType).sort()).toEqual(['Add', 'Conv'])
  })

  it('describes a BatchNorm input by its γ, running variance and epsilon', () => {
    const bn = site(kept, 'bn-input:layer3.5.bn3')
    expect(bn.kind).toBe('bn-input')
    if (bn.kind !== 'bn-input') return
    expect(bn.blockKey).toBe('layer3.5')
    expect(bn.batchNorm).toMatchObject({
      layerKey: 'layer3.5.bn3',
      scale: 'layer3.5.bn3.weight',
      variance: 'layer3.5.bn3.running_var',
    })
    expect(bn.batchNorm.epsilon).toBeCloseTo(1e-5, 10)
    expect([bn.channels, bn.height, bn.width]).toEqual([1024, 2, 2])
  })
})

describe('findCompressionSites on a graph without module scopes', () => {
  it('keys each reader by its block and node name', async () => {
    const model = synthesizeResNet({ ...RESNET50, depth: 18, bnFolded: true })
    const graph = model.graph ?? {}
    const unnamed = {
      ...model,
      graph: { ...graph, node: (graph.node ?? []).map((node) => ({ ...node, name: '' })) },
    }
    const sites = findCompressionSites(await analyze(unnamed))
    expect(sites).toHaveLength(16)
    const [first] = sites
    expect(first?.blockKey).toBe('layer1.0')
    expect(first?.id).toMatch(/^conv-input:layer1\.0\.Conv_\d+$/)
  })
})

describe('buildFakeQuantGraph', () => {
  it('refuses a site whose tensor is not [N, C, H, W], naming it', () => {
    const flattened = keptAnalysis.structure.head.pooled
    const [first] = kept
    if (first === undefined) throw new Error('No sites.')
    expectErrorCode(
      () =>
        buildFakeQuantGraph(keptAnalysis, {
          sites: [{ ...first, tensor: flattened }],
          bitSource: 'levels',
        }),
      'INVALID_ARGUMENT',
      new RegExp(`Activation '${flattened}' has shape \\[1, 2048\\]`),
    )
  })

  it('adds one [C] input per site and keeps the model it was given unchanged', () => {
    const nodesBefore = keptAnalysis.loaded.model.graph?.node?.length
    const graph = buildFakeQuantGraph(keptAnalysis, { sites: kept, bitSource: 'error-bound' })
    expect(graph.sites.map((s) => s.input)).toContain('fake_quant/bn-input:bn1/squared_error_bound')
    expect(new Set(graph.sites.map((s) => s.outputs.bits)).size).toBe(kept.length)
    expect(keptAnalysis.loaded.model.graph?.node?.length).toBe(nodesBefore)
    expect(graph.imageInput).toBe('input')
    expect(graph.logitsOutput).toBe(keptAnalysis.structure.head.output)
  })
})
