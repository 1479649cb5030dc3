import type { GraphNode } from '../../onnx/graph.ts'
import type { ModelAnalysis } from '../../onnx/model-analysis.ts'
import { DataType } from '../../onnx/proto.ts'
import { intAttribute } from '../attributes.ts'
import { SurgeryError } from '../errors.ts'
import { GraphBuilder } from '../graph-builder.ts'
import type { OpsetUpgrade } from '../graph-builder.ts'
import { emitReduce } from '../ops.ts'
import { OPSET } from '../opset.ts'
import { tensorTypeProto } from '../value-types.ts'
import { batchNormBackward } from './batch-norm-backward.ts'
import { convBackward } from './conv-backward.ts'
import { addBackward, reluBackward, reshapeBackward } from './elementwise-backward.ts'
import { findForwardPath } from './forward-path.ts'
import { GradientContext } from './gradient-context.ts'
import { gemmBackward, matMulBackward } from './linear-backward.ts'
import { crossEntropy } from './loss.ts'
import { averagePoolBackward, globalAveragePoolBackward, maxPoolBackward } from './pool-backward.ts'

export interface BackwardGraphOptions {
  /** 'norm': one float scalar output per parameter (its gradient's L2 norm); 'gradient': the tensor. */
  parameterOutput: 'norm' | 'gradient'
  /** Also output ‖∂L/∂(block output)‖₂ (scalar) at the stem output and every residual block's output. */
  blockOutputNorms: boolean
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
  const ctx = new GradientContext(
    builder,
    analysis,
    path.takesGradient,
    path.activations,
    options.parameterOutput === 'gradient',
  )
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
    const output =
      options.parameterOutput === 'norm'
        ? scalarOutput(ctx, normOf(ctx, gradient, shape, tensor))
        : builder.addOutput(gradient, { elemType: DataType.FLOAT, shape })
    return { initializer: tensor, opType: node.opType, nodeName: node.name, shape, output }
  })
  const blockOutputs = options.blockOutputNorms ? blockNormOutputs(analysis, ctx) : []
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

/** Longest run of float32 additions in a norm: about 2e-6 relative error, typically. */
const FLOAT32_ROW = 1024

/**
 * ‖g‖₂: squares summed in float32 over trailing axes holding at most FLOAT32_ROW values, those
 * partial sums in float64. Casting the whole gradient to float64 first cost ~10% of a ResNet50
 * backward pass; summing everything in float32 erred by up to 1e-5 on block outputs.
 */
function normOf(ctx: GradientContext, gradient: string, shape: readonly number[], label: string) {
  const rank = shape.length
  let first = rank
  for (let row = 1; first > 1 && row * (shape[first - 1] ?? 1) <= FLOAT32_ROW; first -= 1) {
    row *= shape[first - 1] ?? 1
  }
  const inner = Array.from({ length: rank - first }, (_, i) => first + i)
  const partial =
    inner.length > 0
      ? emitReduce(ctx.builder, 'ReduceSumSquare', gradient, inner, {
          keepdims: false,
          name: `${label}/GradientNorm/RowSquares`,
        })
      : ctx.emit('Mul', [gradient, gradient], `${label}/GradientNorm/Squares`)
  const wide = ctx.emit('Cast', [partial], `${label}/GradientNorm/Cast`, [
    intAttribute('to', DataType.DOUBLE),
  ])
  const squares = emitReduce(
    ctx.builder,
    'ReduceSum',
    wide,
    Array.from({ length: first }, (_, i) => i),
    { keepdims: false, name: `${label}/GradientNorm/Sum` },
  )
  const norm = ctx.emit('Sqrt', [squares], `${label}/GradientNorm/Sqrt`)
  return ctx.emit('Cast', [norm], `${label}/GradientNorm`, [intAttribute('to', DataType.FLOAT)])
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
