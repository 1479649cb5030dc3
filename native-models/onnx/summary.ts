import type {
  BlockType,
  LayerSummary,
  ModelSummary,
  ResNetArchitecture,
} from '../../electron/api/contract/index.ts'
import { attributeInts } from './graph.ts'
import type { GraphNode } from './graph.ts'
import { readNormalization } from './input-preamble.ts'
import { imageTensorInfo, outputTensorInfo } from './input-shape.ts'
import { classifierKeySource, stemKeySource } from './layer-keys.ts'
import type { KeySource } from './layer-keys.ts'
import { layerFigures } from './layer-metrics.ts'
import { loadModel, loadModelFromBytes } from './load.ts'
import type { LoadedModel, LoadFromBytesOptions } from './load.ts'
import { analyzeModel } from './model-analysis.ts'
import type { ModelAnalysis } from './model-analysis.ts'
import { activationTensors } from './resnet-structure.ts'
import type { Shape } from './shape-ops.ts'

/** torchvision's configurations: depth → block type and blocks per stage. */
const STANDARD_RESNETS: Record<number, { blockType: BlockType; stages: number[] }> = {
  18: { blockType: 'basic', stages: [2, 2, 2, 2] },
  34: { blockType: 'basic', stages: [3, 4, 6, 3] },
  50: { blockType: 'bottleneck', stages: [3, 4, 6, 3] },
  101: { blockType: 'bottleneck', stages: [3, 4, 23, 3] },
  152: { blockType: 'bottleneck', stages: [3, 8, 36, 3] },
}

interface LayerDraft {
  key: string
  kind: LayerSummary['kind']
  stage: number | null
  blockType: BlockType | null
  hasDownsample: boolean
  nodes: readonly GraphNode[]
  outputName: string
  keySource: KeySource
}

function blockTypeOf(analysis: ModelAnalysis): BlockType {
  const bottlenecks = analysis.structure.blocks.filter(
    (block) => block.mainConvs.length >= 3,
  ).length
  return bottlenecks * 2 > analysis.structure.blocks.length ? 'bottleneck' : 'basic'
}

function stemType(analysis: ModelAnalysis): ResNetArchitecture['stem'] {
  const { stem } = analysis.structure
  const firstConv = stem.convs[0]
  const strides = firstConv ? (attributeInts(firstConv, 'strides') ?? [1]) : [1]
  return stem.hasMaxPool || strides.some((stride) => stride > 1) ? 'imagenet' : 'cifar'
}

function architecture(analysis: ModelAnalysis): ResNetArchitecture {
  const blockType = blockTypeOf(analysis)
  const stages = analysis.stages.map((blocks) => blocks.length)
  const mainConvs = analysis.structure.blocks.reduce((sum, b) => sum + b.mainConvs.length, 0)
  const weighted = mainConvs + analysis.structure.stem.convs.length + 1
  const standard = STANDARD_RESNETS[weighted]
  const matches = standard?.blockType === blockType && standard.stages.join() === stages.join()
  return {
    name: matches ? `resnet${weighted}` : 'resnet',
    depth: standard ? weighted : null,
    blockType,
    stages,
    stem: stemType(analysis),
  }
}

function layerDrafts(analysis: ModelAnalysis, blockType: BlockType): LayerDraft[] {
  const { structure, stages, keys } = analysis
  const stem: LayerDraft = {
    key: 'stem',
    kind: 'stem',
    stage: null,
    blockType: null,
    hasDownsample: false,
    nodes: structure.stem.nodes,
    outputName: structure.stem.output,
    keySource: stemKeySource(structure.stem.nodes),
  }
  const blocks = stages.flatMap((blocksOfStage, s) =>
    blocksOfStage.map((block, b): LayerDraft => ({
      key: keys.keys[s]?.[b] ?? `layer${s + 1}.${b}`,
      kind: 'block',
      stage: s + 1,
      blockType,
      hasDownsample: block.downsample.length > 0,
      nodes: block.nodes,
      outputName: block.output,
      keySource: keys.source,
    })),
  )
  const fc: LayerDraft = {
    key: 'fc',
    kind: 'classifier',
    stage: null,
    blockType: null,
    hasDownsample: false,
    nodes: structure.head.nodes,
    outputName: structure.head.output,
    keySource: classifierKeySource(structure.head.classifier),
  }
  return [stem, ...blocks, fc]
}

function shapeLookup(analysis: ModelAnalysis): (name: string) => Shape {
  const { shapes } = analysis.inference
  return (name) => shapes.get(name) ?? analysis.ir.initializers.get(name)?.dims ?? []
}

function summarizeLayers(analysis: ModelAnalysis, blockType: BlockType): LayerSummary[] {
  const shapeOf = shapeLookup(analysis)
  const active = activationTensors(
    analysis.ir,
    analysis.preamble.stemInput,
    analysis.inference.constants,
  )
  const counted = new Set<string>()
  return layerDrafts(analysis, blockType).map(({ nodes, ...draft }) => ({
    ...draft,
    ...layerFigures(nodes, shapeOf, (name) => active.has(name), counted),
    outputShape: shapeOf(draft.outputName),
    nodes: nodes.map((node) => node.name),
  }))
}

function normalization(analysis: ModelAnalysis): {
  value: ModelSummary['inputNormalization']
  warnings: string[]
} {
  const { normalization: value, unreadable } = readNormalization(
    analysis.preamble,
    analysis.image.name ?? '',
    analysis.inference.constants,
    analysis.inputs.inputSize.channels,
  )
  const warnings = unreadable
    ? [
        'The graph transforms its input before the stem in a way that is not a per-channel mean/std.',
      ]
    : []
  return { value, warnings }
}

function weightInputWarning(analysis: ModelAnalysis): string[] {
  const count = analysis.ir.inputs.length - 1
  return count > 0
    ? [
        `${count} weight tensors are graph inputs (export_params=False); running the model needs them supplied.`,
      ]
    : []
}

type FileFields = Pick<
  ModelSummary,
  'fileName' | 'sha256' | 'sizeBytes' | 'externalDataFiles' | 'irVersion' | 'opset' | 'producer'
>

function fileFields(analysis: ModelAnalysis): FileFields {
  const { loaded } = analysis
  return {
    fileName: loaded.fileName,
    sha256: loaded.sha256,
    sizeBytes: loaded.sizeBytes,
    externalDataFiles: loaded.externalDataFiles,
    irVersion: loaded.model.irVersion ?? 0,
    opset: analysis.ir.opset,
    producer: [loaded.model.producerName, loaded.model.producerVersion].filter(Boolean).join(' '),
  }
}

function ioFields(analysis: ModelAnalysis): Pick<ModelSummary, 'inputs' | 'outputs'> {
  const { image, preamble, ir, inference } = analysis
  const imageInfo = imageTensorInfo(image, preamble.layout)
  const batch = imageInfo.shape[0] ?? 1
  return {
    inputs: [imageInfo],
    outputs: ir.outputs.map((output) =>
      outputTensorInfo(output, inference.shapes.get(output.name ?? ''), batch),
    ),
  }
}

/** Fills every ModelSummary field from an analysed model. */
export function buildSummary(analysis: ModelAnalysis): ModelSummary {
  const { ir, structure, inputs, inference, preamble } = analysis
  const arch = architecture(analysis)
  const layers = summarizeLayers(analysis, arch.blockType)
  const norm = normalization(analysis)
  const macs = layers.reduce((sum, layer) => sum + layer.macs, 0)
  const batchNormCount = ir.nodes.filter((node) => node.opType === 'BatchNormalization').length
  const logits = inference.shapes.get(structure.head.output) ?? []
  const pooled = inference.shapes.get(structure.head.pooled) ?? []
  return {
    ...fileFields(analysis),
    ...ioFields(analysis),
    inputLayout: preamble.layout,
    inputSize: inputs.inputSize,
    numClasses: logits.at(-1) ?? 0,
    architecture: arch,
    batchNorm: { count: batchNormCount, isFolded: batchNormCount === 0 },
    hasTrailingSoftmax: structure.head.softmax !== null,
    inputNormalization: norm.value,
    params: layers.reduce((sum, layer) => sum + layer.params, 0),
    macs,
    flops: 2 * macs,
    layers,
    pooledFeatures: { name: structure.head.pooled, size: pooled.at(-1) ?? 0 },
    warnings: [
      ...inputs.warnings,
      ...(analysis.keys.warning ? [analysis.keys.warning] : []),
      ...norm.warnings,
      ...weightInputWarning(analysis),
    ],
  }
}

export function summarizeLoadedModel(loaded: LoadedModel): ModelSummary {
  return buildSummary(analyzeModel(loaded))
}

/** Loads, validates and summarises an ONNX ResNet file (external data read from its folder). */
export async function summarizeModel(filePath: string): Promise<ModelSummary> {
  return summarizeLoadedModel(await loadModel(filePath))
}

/** The same from bytes already in memory; `directory` locates external data, if any. */
export async function summarizeModelBytes(
  bytes: Uint8Array,
  options: LoadFromBytesOptions,
): Promise<ModelSummary> {
  return summarizeLoadedModel(await loadModelFromBytes(bytes, options))
}
