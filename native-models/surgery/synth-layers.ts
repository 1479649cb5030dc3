import { floatAttribute, intAttribute, intsAttribute } from './attributes.ts'
import type { GraphBuilder } from './graph-builder.ts'
import { emitSingle } from './ops.ts'
import { SeededRandom } from './prng.ts'
import { planBlocks, scopeOf } from './resnet-spec.ts'
import type { BlockPlan, ResNetSpec } from './resnet-spec.ts'

const BN_EPSILON = 1e-5
/** torch exports BatchNorm's momentum as 1 − 0.1. */
const BN_MOMENTUM = 0.9

export interface SynthContext {
  builder: GraphBuilder
  seed: number
  opset: number
  bnFolded: boolean
  /** The next torch-style `onnx::Conv_<id>` of a folded export. */
  nextFoldedId: number
}

interface ConvBnPlan {
  /** Module path of the conv ('layer1.0.conv1') and of its BatchNorm ('layer1.0.bn1'). */
  conv: string
  bn: string
  inChannels: number
  outChannels: number
  kernel: number
  stride: number
}

/** torchvision: kaiming_normal_(mode='fan_out', nonlinearity='relu'), so std = √(2 / fan_out). */
function kaimingConvWeight(seed: number, name: string, dims: readonly number[]): Float32Array {
  const [outChannels = 1, , kh = 1, kw = 1] = dims
  const values = new Float32Array(dims.reduce((a, b) => a * b, 1))
  return new SeededRandom(seed, name).fillNormal(values, 0, Math.sqrt(2 / (outChannels * kh * kw)))
}

function convAttributes(kernel: number, stride: number): ReturnType<typeof intAttribute>[] {
  const pad = Math.floor(kernel / 2)
  return [
    intsAttribute('dilations', [1, 1]),
    intAttribute('group', 1),
    intsAttribute('kernel_shape', [kernel, kernel]),
    intsAttribute('pads', [pad, pad, pad, pad]),
    intsAttribute('strides', [stride, stride]),
  ]
}

function constantVector(length: number, value: number): Float32Array {
  return new Float32Array(length).fill(value)
}

function emitConvBn(context: SynthContext, input: string, plan: ConvBnPlan): string {
  const { builder } = context
  const dims = [plan.outChannels, plan.inChannels, plan.kernel, plan.kernel]
  const weight = kaimingConvWeight(context.seed, `${plan.conv}.weight`, dims)
  const attributes = convAttributes(plan.kernel, plan.stride)
  const convName = `${scopeOf(plan.conv)}/Conv`
  if (context.bnFolded) {
    // Identity statistics (γ=1, β=0, mean 0, var 1): W' = W·γ/√(var+ε), b' = β − mean·γ/√(var+ε) = 0.
    const scale = 1 / Math.sqrt(1 + BN_EPSILON)
    const id = context.nextFoldedId
    context.nextFoldedId += 3
    const w = builder.float32Constant(
      `onnx::Conv_${id}`,
      weight.map((v) => v * scale),
      dims,
    )
    const b = builder.float32Constant(`onnx::Conv_${id + 1}`, constantVector(plan.outChannels, 0), [
      plan.outChannels,
    ])
    return emitSingle(
      builder,
      { opType: 'Conv', inputs: [input, w, b], attributes },
      { name: convName },
    )
  }
  const w = builder.float32Constant(`${plan.conv}.weight`, weight, dims)
  const conv = emitSingle(
    builder,
    { opType: 'Conv', inputs: [input, w], attributes },
    { name: convName },
  )
  return emitBatchNorm(context, conv, plan.bn, plan.outChannels)
}

function emitBatchNorm(
  context: SynthContext,
  input: string,
  module: string,
  channels: number,
): string {
  const { builder } = context
  const parameters = [
    ['weight', 1],
    ['bias', 0],
    ['running_mean', 0],
    ['running_var', 1],
  ] as const
  const inputs = parameters.map(([suffix, value]) =>
    builder.float32Constant(`${module}.${suffix}`, constantVector(channels, value), [channels]),
  )
  const attributes = [
    floatAttribute('epsilon', BN_EPSILON),
    floatAttribute('momentum', BN_MOMENTUM),
  ]
  if (context.opset >= 14) attributes.push(intAttribute('training_mode', 0))
  const spec = { opType: 'BatchNormalization', inputs: [input, ...inputs], attributes }
  return emitSingle(builder, spec, { name: `${scopeOf(module)}/BatchNormalization` })
}

function emitRelu(builder: GraphBuilder, input: string, scope: string): string {
  return emitSingle(builder, { opType: 'Relu', inputs: [input] }, { name: `${scope}/Relu` })
}

/** conv1 → bn1 → relu (→ maxpool unless the CIFAR stem: 3×3/1 conv, no pool). */
export function emitStem(context: SynthContext, input: string, cifarStem: boolean): string {
  const kernel = cifarStem ? 3 : 7
  const stride = cifarStem ? 1 : 2
  const plan = { conv: 'conv1', bn: 'bn1', inChannels: 3, outChannels: 64, kernel, stride }
  const relu = emitRelu(context.builder, emitConvBn(context, input, plan), '/relu')
  if (cifarStem) return relu
  const attributes = [
    intAttribute('ceil_mode', 0),
    intsAttribute('kernel_shape', [3, 3]),
    intsAttribute('pads', [1, 1, 1, 1]),
    intsAttribute('strides', [2, 2]),
  ]
  const pool = { opType: 'MaxPool', inputs: [relu], attributes }
  return emitSingle(context.builder, pool, { name: '/maxpool/MaxPool' })
}

/** The main path of a block as conv+BN plans; ReLUs sit between them. */
function mainPath(spec: ResNetSpec, block: BlockPlan): ConvBnPlan[] {
  const m = block.module
  const { inChannels, planes, stride } = block
  if (spec.block === 'basic') {
    return [
      { conv: `${m}.conv1`, bn: `${m}.bn1`, inChannels, outChannels: planes, kernel: 3, stride },
      {
        conv: `${m}.conv2`,
        bn: `${m}.bn2`,
        inChannels: planes,
        outChannels: planes,
        kernel: 3,
        stride: 1,
      },
    ]
  }
  const outChannels = planes * spec.expansion
  return [
    { conv: `${m}.conv1`, bn: `${m}.bn1`, inChannels, outChannels: planes, kernel: 1, stride: 1 },
    {
      conv: `${m}.conv2`,
      bn: `${m}.bn2`,
      inChannels: planes,
      outChannels: planes,
      kernel: 3,
      stride,
    },
    { conv: `${m}.conv3`, bn: `${m}.bn3`, inChannels: planes, outChannels, kernel: 1, stride: 1 },
  ]
}

function reluScope(blockScope: string, index: number): string {
  return index === 0 ? `${blockScope}/relu` : `${blockScope}/relu_${index}`
}

/** One BasicBlock or Bottleneck (v1.5: stride on the 3×3 conv), in torch's node order. */
export function emitBlock(
  context: SynthContext,
  spec: ResNetSpec,
  block: BlockPlan,
  input: string,
): string {
  const scope = scopeOf(block.module)
  const path = mainPath(spec, block)
  let x = input
  path.forEach((plan, index) => {
    x = emitConvBn(context, x, plan)
    if (index < path.length - 1) x = emitRelu(context.builder, x, reluScope(scope, index))
  })
  const shortcut = block.hasDownsample ? emitDownsample(context, spec, block, input) : input
  const add = emitSingle(
    context.builder,
    { opType: 'Add', inputs: [x, shortcut] },
    { name: `${scope}/Add` },
  )
  return emitRelu(context.builder, add, reluScope(scope, path.length - 1))
}

function emitDownsample(
  context: SynthContext,
  spec: ResNetSpec,
  block: BlockPlan,
  input: string,
): string {
  const plan = {
    conv: `${block.module}.downsample.0`,
    bn: `${block.module}.downsample.1`,
    inChannels: block.inChannels,
    outChannels: block.planes * spec.expansion,
    kernel: 1,
    stride: block.stride,
  }
  return emitConvBn(context, input, plan)
}

export function emitBlocks(context: SynthContext, spec: ResNetSpec, input: string): string {
  return planBlocks(spec).reduce((x, block) => emitBlock(context, spec, block, x), input)
}

/** torch.nn.Linear's default init: U(±1/√in) for weight and bias. */
export function addClassifierWeights(
  context: SynthContext,
  features: number,
  classes: number,
): [string, string] {
  const bound = 1 / Math.sqrt(features)
  const fill = (name: string, length: number): Float32Array =>
    new SeededRandom(context.seed, name).fillUniform(new Float32Array(length), -bound, bound)
  const weight = context.builder.float32Constant(
    'fc.weight',
    fill('fc.weight', classes * features),
    [classes, features],
  )
  const bias = context.builder.float32Constant('fc.bias', fill('fc.bias', classes), [classes])
  return [weight, bias]
}

/** GlobalAveragePool → Flatten → Gemm, the last output named 'logits'. */
export function emitHead(
  context: SynthContext,
  input: string,
  classifier: [string, string],
): string {
  const { builder } = context
  const pooled = emitSingle(
    builder,
    { opType: 'GlobalAveragePool', inputs: [input] },
    { name: '/avgpool/GlobalAveragePool' },
  )
  const flatAttributes = [intAttribute('axis', 1)]
  const flat = emitSingle(
    builder,
    { opType: 'Flatten', inputs: [pooled], attributes: flatAttributes },
    { name: '/Flatten' },
  )
  const attributes = [
    floatAttribute('alpha', 1),
    floatAttribute('beta', 1),
    intAttribute('transB', 1),
  ]
  const gemm = { opType: 'Gemm', inputs: [flat, ...classifier], attributes }
  return emitSingle(builder, gemm, { name: '/fc/Gemm', output: 'logits' })
}
