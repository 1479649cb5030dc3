import { attributeFloat, attributeInt } from '../../onnx/graph.ts'
import type { GraphNode } from '../../onnx/graph.ts'
import { floatAttribute, intAttribute } from '../attributes.ts'
import { SurgeryError } from '../errors.ts'
import { sumToShape } from './elementwise-backward.ts'
import type { GradientContext } from './gradient-context.ts'

/**
 * Gemm, Y = α·A'·B' + β·C with A' = transA ? Aᵀ : A and B' likewise:
 * ∂A' = α·gy·B'ᵀ, ∂B' = α·A'ᵀ·gy, ∂C = β·gy summed to C's shape; each is one Gemm whose
 * transpose flags read A and B in place (their saved copies).
 */
export function gemmBackward(node: GraphNode, gradient: string, ctx: GradientContext): void {
  const [a = '', b = '', c] = node.inputs
  const alpha = attributeFloat(node, 'alpha', 1)
  const beta = attributeFloat(node, 'beta', 1)
  const transA = attributeInt(node, 'transA', 0) === 1
  const transB = attributeInt(node, 'transB', 0) === 1
  const [savedA, savedB] = [ctx.saved(a), ctx.saved(b)]
  const gemm = (inputs: [string, string], flags: [boolean, boolean], part: string): string =>
    ctx.emit('Gemm', inputs, ctx.scope(node, part), [
      floatAttribute('alpha', alpha),
      intAttribute('transA', flags[0] ? 1 : 0),
      intAttribute('transB', flags[1] ? 1 : 0),
    ])
  if (ctx.needsGradient(a)) {
    const da = transA
      ? gemm([savedB, gradient], [transB, true], 'InputGradient')
      : gemm([gradient, savedB], [false, !transB], 'InputGradient')
    ctx.accumulate(a, da)
  }
  if (ctx.needsGradient(b)) {
    const db = transB
      ? gemm([gradient, savedA], [true, transA], 'WeightGradient')
      : gemm([savedA, gradient], [!transA, false], 'WeightGradient')
    ctx.accumulate(b, db)
  }
  if (ctx.needsGradient(c)) {
    const outputShape = ctx.shape(node.outputs[0] ?? '')
    const summed = sumToShape(ctx, gradient, c, outputShape, ctx.scope(node, 'BiasGradient'))
    const scaled =
      beta === 1
        ? summed
        : ctx.emit(
            'Mul',
            [summed, ctx.floatScalar(`${node.name}/Backward/beta`, beta)],
            ctx.scope(node, 'BiasGradientScaled'),
          )
    ctx.accumulate(c, scaled)
  }
}

/** MatMul of two matrices: ∂A = gy·Bᵀ, ∂B = Aᵀ·gy (from their saved copies). */
export function matMulBackward(node: GraphNode, gradient: string, ctx: GradientContext): void {
  const [a = '', b = ''] = node.inputs
  const ranks = [ctx.shape(a).length, ctx.shape(b).length]
  if (ranks.some((rank) => rank !== 2)) {
    throw new SurgeryError(
      'INVALID_ARGUMENT',
      `Node '${node.name}' is a MatMul of ranks ${ranks.join(' and ')}; the backward graph supports MatMul of two matrices only.`,
    )
  }
  if (ctx.needsGradient(a)) {
    const da = ctx.emit('Gemm', [gradient, ctx.saved(b)], ctx.scope(node, 'InputGradient'), [
      intAttribute('transB', 1),
    ])
    ctx.accumulate(a, da)
  }
  if (ctx.needsGradient(b)) {
    const db = ctx.emit('Gemm', [ctx.saved(a), gradient], ctx.scope(node, 'WeightGradient'), [
      intAttribute('transA', 1),
    ])
    ctx.accumulate(b, db)
  }
}
