import { attributeFloat } from '../../onnx/graph.ts'
import type { GraphNode } from '../../onnx/graph.ts'
import { emitReduce } from '../ops.ts'
import { convInputGradient, convWeightGradient, convWindow, isPointwise } from './conv-backward.ts'
import { weightInGradientOrder } from './conv-weight-gradient.ts'
import type { GradientContext } from './gradient-context.ts'

/** The Conv whose output only this BatchNormalization reads, so the two can run backward as one. */
export function convFeeding(batchNorm: GraphNode, ctx: GradientContext): GraphNode | undefined {
  const x = batchNorm.inputs[0] ?? ''
  const conv = ctx.producer(x)
  return conv?.opType === 'Conv' && ctx.readerCount(x) === 1 ? conv : undefined
}

/**
 * Conv followed by inference-mode BatchNormalization, y = g·(conv(x, W) + b − μ) + β with the
 * per-channel gain g = γ/√(σ² + ε), backward without reading the conv's output, so that ORT still
 * fuses the pair (and the Relu after it) into one Conv in the forward pass, as in a forward-only
 * session. From G = ∂W of the conv taken with gy itself:
 * ∂W = g·G, ∂x = conv-transpose of gy by g·W (a constant), ∂b = g·Σgy, ∂β = Σgy, and
 * ∂γ = Σ gy·(conv(x, W) + b − μ)/√(σ² + ε) = (⟨W, G⟩ + (b − μ)·Σgy)/√(σ² + ε) per channel.
 * That shortcut holds only when G is taken with the input whose conv gave the BatchNorm's input:
 * when the backward pass reads a substitute for x or for the conv's output, ∂γ is summed from the
 * BatchNorm's saved input instead (which then reads the conv's output, so ORT cannot fuse them).
 */
export function convBatchNormBackward(
  conv: GraphNode,
  batchNorm: GraphNode,
  gradient: string,
  ctx: GradientContext,
): void {
  const [x = '', weight = '', convBias] = conv.inputs
  const [, scale = '', bias = '', mean = '', variance = ''] = batchNorm.inputs
  const window = convWindow(conv, ctx)
  const rank = window.axes.length + 2
  const channels = window.weightShape[0] ?? 1
  const perOutputChannel = (vector: string, part: string): string =>
    ctx.emit(
      'Reshape',
      [vector, ctx.builder.int64Constant([channels, ...new Array<number>(rank - 1).fill(1)])],
      ctx.scope(batchNorm, part),
    )
  const inverse = inverseDeviation(batchNorm, variance, ctx)
  const gain = ctx.emit('Mul', [scale, inverse], ctx.scope(batchNorm, 'Gain'))
  const gradientSum = emitReduce(
    ctx.builder,
    'ReduceSum',
    gradient,
    [0, ...window.axes.map((_, i) => i + 2)],
    { keepdims: false, name: ctx.scope(batchNorm, 'BiasGradient') },
  )
  if (ctx.needsGradient(bias)) ctx.accumulate(bias, gradientSum)
  if (ctx.needsGradient(convBias)) {
    ctx.accumulate(convBias, ctx.emit('Mul', [gradientSum, gain], ctx.scope(conv, 'BiasGradient')))
  }
  if (ctx.needsGradient(x)) {
    const foldedWeight = ctx.emit(
      'Mul',
      [weight, perOutputChannel(gain, 'GainPerOutputChannel')],
      ctx.scope(conv, 'FoldedWeight'),
    )
    ctx.accumulate(x, convInputGradient(conv, gradient, foldedWeight, window, ctx))
  }
  const scaleByShortcut = ctx.needsGradient(scale) && !ctx.hasSubstitute(x, conv.outputs[0] ?? '')
  if (ctx.needsGradient(scale) && !scaleByShortcut) {
    ctx.accumulate(scale, scaleGradientFromInput(batchNorm, gradient, inverse, ctx))
  }
  if (!ctx.needsGradient(weight) && !scaleByShortcut) return
  const unscaled = convWeightGradient(conv, gradient, window, ctx)
  if (ctx.needsGradient(weight)) {
    const gainPerChannel = perOutputChannel(gain, 'GainPerWeightRow')
    ctx.accumulate(
      weight,
      ctx.emit('Mul', [unscaled, gainPerChannel], ctx.scope(conv, 'WeightGradient')),
    )
  }
  if (scaleByShortcut) {
    const ordered = isPointwise(window.axes)
      ? weight
      : weightInGradientOrder(conv, weight, window.weightShape, ctx)
    const product = ctx.emit('Mul', [ordered, unscaled], ctx.scope(batchNorm, 'WeightProduct'))
    const inner = emitReduce(
      ctx.builder,
      'ReduceSum',
      product,
      window.weightShape.slice(1).map((_, i) => i + 1),
      { keepdims: false, name: ctx.scope(batchNorm, 'WeightDot') },
    )
    const offset =
      convBias === undefined || convBias === ''
        ? ctx.emit('Neg', [mean], ctx.scope(batchNorm, 'Offset'))
        : ctx.emit('Sub', [convBias, mean], ctx.scope(batchNorm, 'Offset'))
    const centered = ctx.emit(
      'Add',
      [inner, ctx.emit('Mul', [offset, gradientSum], ctx.scope(batchNorm, 'OffsetDot'))],
      ctx.scope(batchNorm, 'CenteredDot'),
    )
    ctx.accumulate(
      scale,
      ctx.emit('Mul', [centered, inverse], ctx.scope(batchNorm, 'ScaleGradient')),
    )
  }
}

/** 1/√(σ² + ε) per channel. */
export function inverseDeviation(
  batchNorm: GraphNode,
  variance: string,
  ctx: GradientContext,
): string {
  const epsilon = ctx.floatScalar(
    `${batchNorm.name}/Backward/epsilon`,
    attributeFloat(batchNorm, 'epsilon', 1e-5),
  )
  const shifted = ctx.emit('Add', [variance, epsilon], ctx.scope(batchNorm, 'VariancePlusEpsilon'))
  const deviation = ctx.emit('Sqrt', [shifted], ctx.scope(batchNorm, 'StandardDeviation'))
  return ctx.emit('Reciprocal', [deviation], ctx.scope(batchNorm, 'InverseDeviation'))
}

/** ∂γ = Σ gy·(x − μ)/√(σ² + ε) per channel, from the saved input x of an inference-mode BatchNorm. */
export function scaleGradientFromInput(
  batchNorm: GraphNode,
  gradient: string,
  inverse: string,
  ctx: GradientContext,
): string {
  const [x = '', scale = '', , mean = ''] = batchNorm.inputs
  const rank = ctx.shape(x).length
  const perChannelShape = ctx.builder.int64Constant([
    ctx.shape(scale)[0] ?? 1,
    ...new Array<number>(rank - 2).fill(1),
  ])
  const perChannel = (vector: string, part: string): string =>
    ctx.emit('Reshape', [vector, perChannelShape], ctx.scope(batchNorm, part))
  const centered = ctx.emit(
    'Sub',
    [ctx.saved(x), perChannel(mean, 'MeanPerChannel')],
    ctx.scope(batchNorm, 'Centered'),
  )
  const normalized = ctx.emit(
    'Mul',
    [centered, perChannel(inverse, 'InverseDeviationPerChannel')],
    ctx.scope(batchNorm, 'Normalized'),
  )
  const product = ctx.emit('Mul', [gradient, normalized], ctx.scope(batchNorm, 'ScaleProduct'))
  const reduced = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]
  const name = ctx.scope(batchNorm, 'ScaleGradient')
  return emitReduce(ctx.builder, 'ReduceSum', product, reduced, { keepdims: false, name })
}
