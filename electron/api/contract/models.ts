import { channel, id, object, readPath, writePath } from './channels.ts'
import type { ChannelSpecs } from './channels.ts'

/** A tensor dimension: a number when fixed, the symbol (e.g. 'batch') when dynamic. */
export type Dim = number | string

export interface TensorInfo {
  name: string
  /** ONNX element type name, e.g. 'float32'. */
  dataType: string
  shape: Dim[]
}

export type LayerKind = 'stem' | 'block' | 'classifier'

export type BlockType = 'bottleneck' | 'basic'

/** One ResNet layer; `key` is the stable name every analysis uses ('stem', 'layer3.4', 'fc'). */
export interface LayerSummary {
  key: string
  kind: LayerKind
  /** 1-based stage index for blocks, null for stem and classifier. */
  stage: number | null
  blockType: BlockType | null
  hasDownsample: boolean
  /** Learnable parameters of the layer (BN kept: conv weights + BN scale and bias; running mean/var are buffers, not counted). */
  params: number
  /** Multiply-accumulates of its Conv/Gemm/MatMul nodes at the summary's input size, batch 1. */
  macs: number
  /** NCHW (or [N, classes]) at batch 1. */
  outputShape: number[]
  /** Name of the tensor this layer outputs: the tap for later analyses. */
  outputName: string
  /** Names of the graph nodes that belong to the layer. */
  nodes: string[]
  /** Where the key came from: node scopes, or block position when scopes are missing. */
  keySource: 'scope' | 'position'
}

export interface ResNetArchitecture {
  /** 'resnet50' when depth and block type match a torchvision model, else 'resnet'. */
  name: string
  /** Weighted layers (convs on the main path + fc), e.g. 50; null when it matches no standard depth. */
  depth: number | null
  blockType: BlockType
  /** Blocks per stage, e.g. [3, 4, 6, 3]. */
  stages: number[]
  /** 'imagenet': 7×7/2 conv + max pool; 'cifar': 3×3/1 conv, no max pool. */
  stem: 'imagenet' | 'cifar'
}

export interface ModelSummary {
  fileName: string
  /** sha256 over the model file followed by its external-data files in name order. */
  sha256: string
  sizeBytes: number
  externalDataFiles: string[]
  irVersion: number
  /** The default-domain (ai.onnx) opset. */
  opset: number
  producer: string
  inputs: TensorInfo[]
  outputs: TensorInfo[]
  inputLayout: 'NCHW' | 'NHWC'
  /** Spatial size used for shapes and MACs: the graph's own, or 224×224 when it is dynamic. */
  inputSize: { channels: number; height: number; width: number; isAssumed: boolean }
  numClasses: number
  architecture: ResNetArchitecture
  batchNorm: { count: number; isFolded: boolean }
  /** A Softmax after the classifier: outputs are probabilities, not logits. */
  hasTrailingSoftmax: boolean
  /** Sub/Div (or Mul) on the input before the stem: the graph normalises its input itself. */
  inputNormalization: { mean: number[]; std: number[] } | null
  params: number
  macs: number
  /** Always 2 × macs. */
  flops: number
  layers: LayerSummary[]
  /** The pooled-features tensor feeding the classifier. */
  pooledFeatures: { name: string; size: number }
  warnings: string[]
}

export interface SynthRequest {
  depth: 18 | 34 | 50 | 101
  numClasses: number
  inputSize: number
  cifarStem: boolean
  bnFolded: boolean
  opset: number
  seed: number
  /** Fixed batch size, or 'dynamic' for a symbolic 'batch' dimension. */
  batch: number | 'dynamic'
  /** Write weights to '<file>.data' beside the model. */
  externalData: boolean
}

export interface SynthReport {
  path: string
  sizeBytes: number
  summary: ModelSummary
}

export interface ModelsInvoke {
  'model:summary': (path: string) => ModelSummary
  'checkpoint:summary': (checkpointId: number) => ModelSummary
  'model:synth': (outPath: string, request: SynthRequest) => SynthReport
}
export const MODELS_CHANNELS = {
  'model:summary': channel([readPath('path')]),
  'checkpoint:summary': channel([id('checkpointId')]),
  'model:synth': channel([writePath('outPath'), object('request')]),
} as const satisfies ChannelSpecs<ModelsInvoke>
