import type { GraphNode } from '../../onnx/graph.ts'
import { emitReduce } from '../ops.ts'
import {
  convBatchNormBackward,
  convFeeding,
  inverseDeviation,
  scaleGradientFromInput,
} from './conv-batch-norm-backward.ts'
import type { GradientContext } from './gradient-context.ts'

/**
 * BatchNormalization in inference mode, y = γ·(x − μ)/√(σ² + ε) + β with the running statistics:
 * ∂x = gy·γ/√(σ² + ε), ∂γ = Σ gy·x̂, ∂β = Σ gy (sums over every axis but the channels); x̂ is
 * computed from the saved input.
 */
export function batchNormBackward(node: GraphNode, gradient: string, ctx: GradientContext): void {
  const conv = convFeeding(node, ctx)
  if (conv !== undefined) return convBatchNormBackward(conv, node, gradient, ctx)
  const [x = '', scale = '', bias = '', , variance = ''] = node.inputs
  const rank = ctx.shape(x).length
  const channels = ctx.shape(scale)[0] ?? 1
  const perChannelShape = ctx.builder.int64Constant([
    channels,
    ...new Array<number>(rank - 2).fill(1),
  ])
  const perChannel = (vector: string, part: string): string =>
    ctx.emit('Reshape', [vector, perChannelShape], ctx.scope(node, part))
  const inverse = inverseDeviation(node, variance, ctx)
  const reduced = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)]
  if (ctx.needsGradient(x)) {
    const gain = ctx.emit('Mul', [scale, inverse], ctx.scope(node, 'Gain'))
    const dx = ctx.emit(
      'Mul',
      [gradient, perChannel(gain, 'GainPerChannel')],
      ctx.scope(node, 'InputGradient'),
    )
    ctx.accumulate(x, dx)
  }
  if (ctx.needsGradient(scale)) {
    ctx.accumulate(scale, scaleGradientFromInput(node, gradient, inverse, ctx))
  }
  if (ctx.needsGradient(bias)) {
    const name = ctx.scope(node, 'BiasGradient')
    ctx.accumulate(
      bias,
      emitReduce(ctx.builder, 'ReduceSum', gradient, reduced, { keepdims: false, name }),
    )
  }
}
