import { intAttribute } from './attributes.ts'
import type { GraphBuilder } from './graph-builder.ts'
import { emitReduce, emitSingle } from './ops.ts'
import type { ReduceOp } from './ops.ts'

/**
 * The batch-centered Gram matrix Xc·Xcᵀ (N×N) of a tensor viewed as [N, features]. Centering comes
 * first because an fp32 Gram of uncentered features loses the CKA signal (T1/F8: 1e-3 against
 * 4e-6); Gemm(transB=1) avoids materialising a transposed copy of the features.
 */
export function emitCenteredGram(
  builder: GraphBuilder,
  tensor: string,
  name = `${tensor}/Gram`,
): string {
  const shape2d = builder.int64Constant([0, -1])
  const flat = emitSingle(
    builder,
    { opType: 'Reshape', inputs: [tensor, shape2d] },
    { name: `${name}/Reshape` },
  )
  const mean = emitReduce(builder, 'ReduceMean', flat, [0], { name: `${name}/ReduceMean` })
  const centered = emitSingle(
    builder,
    { opType: 'Sub', inputs: [flat, mean] },
    { name: `${name}/Sub` },
  )
  const transB = intAttribute('transB', 1)
  const gemm = { opType: 'Gemm', inputs: [centered, centered], attributes: [transB] }
  return emitSingle(builder, gemm, { name: `${name}/Gemm` })
}

/**
 * One value per channel of an NCHW tensor: over the batch and the spatial axes ([C]), or per
 * sample ([N, C]) so that batches can be combined outside the graph.
 */
export function emitChannelReduce(
  builder: GraphBuilder,
  op: ReduceOp,
  tensor: string,
  perSample = false,
): string {
  const axes = perSample ? [2, 3] : [0, 2, 3]
  return emitReduce(builder, op, tensor, axes, { keepdims: false, name: `${tensor}/${op}` })
}
