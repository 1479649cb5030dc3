import type { GraphNode } from '../../onnx/graph.ts'
import type { ModelAnalysis } from '../../onnx/model-analysis.ts'
import { DataType } from '../../onnx/proto.ts'
import { SurgeryError } from '../errors.ts'
import { GraphBuilder } from '../graph-builder.ts'
import type { OpsetUpgrade } from '../graph-builder.ts'
import { OPSET } from '../opset.ts'
import { tensorTypeProto } from '../value-types.ts'
import { batchNormBackward } from './batch-norm-backward.ts'
import { convBackward } from './conv-backward.ts'
import { addBackward, reluBackward, reshapeBackward } from './elementwise-backward.ts'
import { findForwardPath } from './forward-path.ts'
import type { ForwardPath } from './forward-path.ts'
import { GradientContext } from './gradient-context.ts'
import { channelStatisticsOf, normOf } from './gradient-reductions.ts'
import type { ChannelStatisticTensors } from './gradient-reductions.ts'
import { gemmBackward, matMulBackward } from './linear-backward.ts'
import { crossEntropy } from './loss.ts'
import { averagePoolBackward, globalAveragePoolBackward, maxPoolBackward } from './pool-backward.ts'

export interface BackwardGraphOptions {
  /** 'norm': one float scalar output per parameter (its gradient's L2 norm); 'gradient': the tensor. */
  parameterOutput: 'norm' | 'gradient'
  /** Also output ‖∂L/∂(block output)‖₂ (scalar) at the stem output and every residual block's output. */
  blockOutputNorms: boolean
  /**
   * Forward tensors [N, C, ...] at which to output, per channel over every other axis, statistics
   * of their gradient g: Σg², the count of g ≠ 0 and max g² (AC-GC's bit choice reads them at conv
   * and BatchNorm outputs). A tensor whose gradient the graph does not compute is an error.
   */
  channelGradientStatistics?: readonly string[]
  /** Initializers whose full gradient is output in 'norm' graphs too, e.g. a BatchNorm's scale. */
  fullGradients?: ReadonlySet<string>
  /**
   * Called once with the builder holding the forward graph, before the backward pass is emitted:
   * maps a retained forward activation to the tensor the backward pass reads in its place (e.g. a
   * fake-quantized copy). The forward pass keeps the exact values.
   */
  savedActivations?: (builder: GraphBuilder) => ReadonlyMap<string, string>
}

export interface BackwardParameter {
  /** The initializer's name in the graph ('onnx::Conv_497' in folded exports, 'layer1.0.conv1.weight' in others). */
  initializer: string
  /** The op and input slot that read it: Conv W/B, BatchNormalization scale/B, Gemm B/C, MatMul weight, bias Add. */
  opType: string
  nodeName: string
  shape: number[]
  /** Graph output name holding the norm (scalar) or the gradient (same shape as the parameter). */
  output: string
  /** Graph output holding the gradient in the parameter's shape and order, when there is one. */
  gradientOutput: string | null
}

/** The float32 [channels] graph outputs of one tensor's channel gradient statistics. */
export interface ChannelStatisticOutputs extends ChannelStatisticTensors {
  tensor: string
  channels: number
}

export interface BackwardGraph {
  /** Encoded ModelProto. */
  model: Uint8Array
  /** The model's image input (batch dim dynamic). */
  imageInput: string
  /** New graph input, int64 [N]. */
  labelsInput: string
  /** Scalar mean softmax cross-entropy over the batch. */
  lossOutput: string
  logitsOutput: string
  parameters: BackwardParameter[]
  /** What each parameter's output holds (the option the graph was built with). */
  parameterOutput: BackwardGraphOptions['parameterOutput']
  /** Layer keys as in analysis.keys ('stem', 'layer1.0', ...) with their scalar norm outputs. */
  blockOutputs: { layerKey: string; output: string }[]
  /** One entry per options.channelGradientStatistics tensor, in that order. */
  channelStatistics: ChannelStatisticOutputs[]
  upgrades: readonly OpsetUpgrade[]
  /** True when the graph has no BatchNormalization (BN folded into the convs at export). */
  bnFolded: boolean
  /** Ops whose backward needs ScatterElements(reduction=add) (MaxPool), for the placement record. */
  scatterOps: number
}

type BackwardRule = (node: GraphNode, gradient: string, ctx: GradientContext) => void

const RULES: ReadonlyMap<string, BackwardRule> = new Map<string, BackwardRule>([
  ['Conv', convBackward],
  ['BatchNormalization', batchNormBackward],
  ['Relu', reluBackward],
  ['MaxPool', maxPoolBackward],
  ['AveragePool', averagePoolBackward],
  ['GlobalAveragePool', globalAveragePoolBackward],
  ['Add', addBackward],
  ['Gemm', gemmBackward],
  ['MatMul', matMulBackward],
  ...['Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Identity'].map(
    (op): [string, BackwardRule] => [op, reshapeBackward],
  ),
])

/**
 * The model plus its backward pass in standard ONNX ops: a labels input, the mean cross-entropy,
 * and per parameter its gradient or the gradient's L2 norm (BatchNorm in inference mode, so the
 * gradients are those of eval-mode autograd). The backward pass stops at the stem's input: the
 * image gets no gradient. Throws SurgeryError naming the first node outside the supported op set.
 */
export function buildBackwardGraph(
  analysis: ModelAnalysis,
  options: BackwardGraphOptions,
): BackwardGraph {
  const builder = new GraphBuilder(analysis.loaded.model)
  const logits = analysis.structure.head.output
  const path = findForwardPath(analysis, builder, logits)
  const scatterOps = path.nodes.filter((node) => node.opType === 'MaxPool').length
  if (scatterOps > 0) builder.ensureOpset(OPSET.scatterReduction, 'ScatterElements(reduction=add)')
  const fullGradients = checkedFullGradients(path, options.fullGradients)
  const exactLayout = (parameter: string): boolean =>
    options.parameterOutput === 'gradient' || fullGradients.has(parameter)
  const ctx = new GradientContext(builder, analysis, {
    takesGradient: path.takesGradient,
    activations: path.activations,
    exactLayout,
    substitutes: checkedSubstitutes(builder, path, options.savedActivations?.(builder)),
  })
  const labels = builder.addInput(
    freeName(builder, 'labels'),
    tensorTypeProto(DataType.INT64, ['batch']),
  )
  const { loss, logitsGradient } = crossEntropy(ctx, logits, labels, classCount(ctx, logits))
  ctx.accumulate(logits, logitsGradient)
  for (const node of [...path.nodes].reverse()) {
    const gradient = ctx.gradientOf(node.outputs[0] ?? '')
    if (gradient !== undefined) RULES.get(node.opType)?.(node, gradient, ctx)
  }
  const parameters = path.parameters.map(({ tensor, node }): BackwardParameter => {
    const shape = ctx.shape(tensor)
    const gradient = requiredGradient(ctx, tensor)
    const gradientOutput = exactLayout(tensor)
      ? builder.addOutput(gradient, { elemType: DataType.FLOAT, shape })
      : null
    const output =
      options.parameterOutput === 'norm'
        ? scalarOutput(ctx, normOf(ctx, gradient, shape, tensor))
        : (gradientOutput ?? '')
    return {
      initializer: tensor,
      opType: node.opType,
      nodeName: node.name,
      shape,
      output,
      gradientOutput,
    }
  })
  const blockOutputs = options.blockOutputNorms ? blockNormOutputs(analysis, ctx) : []
  const channelStatistics = (options.channelGradientStatistics ?? []).map((tensor) =>
    channelStatisticOutputs(analysis, ctx, tensor),
  )
  const lossOutput = scalarOutput(ctx, loss)
  const logitsOutput = builder.addOutput(logits)
  return {
    // Last: every output above must be in the graph before it is encoded.
    model: builder.encodeAppendedTo(analysis.loaded.bytes),
    imageInput: analysis.image.name ?? '',
    labelsInput: labels,
    lossOutput,
    logitsOutput,
    parameters,
    parameterOutput: options.parameterOutput,
    blockOutputs,
    channelStatistics,
    upgrades: builder.upgrades,
    bnFolded: !analysis.ir.nodes.some((node) => node.opType === 'BatchNormalization'),
    scatterOps,
  }
}

function classCount(ctx: GradientContext, logits: string): number {
  const shape = ctx.shape(logits)
  if (shape.length !== 2) {
    throw new SurgeryError(
      'INVALID_ARGUMENT',
      `The logits '${logits}' have shape [${shape.join(', ')}]; the cross-entropy needs [N, classes].`,
    )
  }
  return shape[1] ?? 1
}

function requiredGradient(ctx: GradientContext, tensor: string): string {
  const gradient = ctx.gradientOf(tensor)
  if (gradient === undefined) throw new RangeError(`No gradient reached tensor '${tensor}'.`)
  return gradient
}

function scalarOutput(ctx: GradientContext, tensor: string): string {
  return ctx.builder.addOutput(tensor, { elemType: DataType.FLOAT, shape: [] })
}

function blockNormOutputs(
  analysis: ModelAnalysis,
  ctx: GradientContext,
): { layerKey: string; output: string }[] {
  const keys = analysis.keys.keys.flat()
  const tensors = [
    { layerKey: 'stem', tensor: analysis.structure.stem.output },
    ...analysis.structure.blocks.map((block, i) => ({
      layerKey: keys[i] ?? `block${i}`,
      tensor: block.output,
    })),
  ]
  return tensors.map(({ layerKey, tensor }) => {
    const gradient = requiredGradient(ctx, tensor)
    const shape = ctx.shape(tensor)
    return { layerKey, output: scalarOutput(ctx, normOf(ctx, gradient, shape, layerKey)) }
  })
}

/** `base`, or `base_1`, … when the model already uses it (the caller feeds the input by name). */
function freeName(builder: GraphBuilder, base: string): string {
  const graph = builder.graph
  const used = new Set<string>([
    ...(graph.input ?? []).map((i) => i.name ?? ''),
    ...(graph.output ?? []).map((o) => o.name ?? ''),
    ...(graph.initializer ?? []).map((t) => t.name ?? ''),
    ...(graph.node ?? []).flatMap((n) => [n.name ?? '', ...(n.input ?? []), ...(n.output ?? [])]),
  ])
  let candidate = base
  for (let suffix = 1; used.has(candidate); suffix += 1) candidate = `${base}_${suffix}`
  return candidate
}

function checkedFullGradients(
  path: ForwardPath,
  requested: ReadonlySet<string> | undefined,
): ReadonlySet<string> {
  const parameters = new Set(path.parameters.map((p) => p.tensor))
  for (const name of requested ?? []) {
    if (!parameters.has(name)) {
      throw new SurgeryError(
        'INVALID_ARGUMENT',
        `'${name}' is not a parameter the backward graph differentiates, so it has no full gradient.`,
      )
    }
  }
  return requested ?? new Set()
}

/** The caller's substitutes, each for an activation of the path and read from an existing tensor. */
function checkedSubstitutes(
  builder: GraphBuilder,
  path: ForwardPath,
  substitutes: ReadonlyMap<string, string> | undefined,
): ReadonlyMap<string, string> {
  if (substitutes === undefined) return new Map()
  const produced = new Set([
    ...(builder.graph.node ?? []).flatMap((node) => node.output ?? []),
    ...(builder.graph.input ?? []).map((input) => input.name ?? ''),
    ...(builder.graph.initializer ?? []).map((tensor) => tensor.name ?? ''),
  ])
  for (const [activation, substitute] of substitutes) {
    if (!path.activations.has(activation)) {
      throw new SurgeryError(
        'INVALID_ARGUMENT',
        `'${activation}' is not a forward activation, so the backward pass cannot read a substitute for it.`,
      )
    }
    if (!produced.has(substitute)) {
      throw new SurgeryError(
        'INVALID_ARGUMENT',
        `The substitute '${substitute}' for '${activation}' is not a tensor of the graph.`,
      )
    }
  }
  return substitutes
}

function channelStatisticOutputs(
  analysis: ModelAnalysis,
  ctx: GradientContext,
  tensor: string,
): ChannelStatisticOutputs {
  const gradient = ctx.gradientOf(tensor)
  if (gradient === undefined)
    throw new SurgeryError('INVALID_ARGUMENT', noGradientMessage(analysis, tensor))
  const shape = ctx.shape(tensor)
  if (shape.length < 2) {
    throw new SurgeryError(
      'INVALID_ARGUMENT',
      `'${tensor}' has shape [${shape.join(', ')}]; channel statistics need [N, C, ...].`,
    )
  }
  const statistics = channelStatisticsOf(ctx, gradient, shape.length, tensor)
  const channels = shape[1] ?? 1
  const declared = { elemType: DataType.FLOAT, shape: [channels] }
  return {
    tensor,
    channels,
    sumOfSquares: ctx.builder.addOutput(statistics.sumOfSquares, declared),
    nonzeroCount: ctx.builder.addOutput(statistics.nonzeroCount, declared),
    maxSquare: ctx.builder.addOutput(statistics.maxSquare, declared),
  }
}

function noGradientMessage(analysis: ModelAnalysis, tensor: string): string {
  if (!analysis.inference.shapes.has(tensor)) return `'${tensor}' is not a tensor of the model.`
  const readers = analysis.ir.consumers.get(tensor) ?? []
  const isFusedConvOutput =
    analysis.ir.producers.get(tensor)?.opType === 'Conv' &&
    readers.length === 1 &&
    readers[0]?.opType === 'BatchNormalization'
  const hint = isFusedConvOutput
    ? ': a Conv output read only by a BatchNormalization runs backward fused with it, so ask for the BatchNormalization output'
    : ''
  return `The backward graph computes no gradient for '${tensor}'${hint}.`
}
