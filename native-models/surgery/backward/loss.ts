import { DataType } from '../../onnx/proto.ts'
import { intAttribute } from '../attributes.ts'
import { emitReduce, emitUnsqueeze } from '../ops.ts'
import type { GradientContext } from './gradient-context.ts'

export interface CrossEntropy {
  /** Scalar: −mean over the batch of log softmax(logits)[label]. */
  loss: string
  /** [N, K]: (softmax(logits) − onehot(labels)) / N. */
  logitsGradient: string
}

/** Mean softmax cross-entropy of [N, K] logits on int64 [N] labels, and its gradient. */
export function crossEntropy(
  ctx: GradientContext,
  logits: string,
  labels: string,
  classes: number,
): CrossEntropy {
  const axis = [intAttribute('axis', 1)]
  const logProbabilities = ctx.emit('LogSoftmax', [logits], 'Loss/LogSoftmax', axis)
  const labelColumn = emitUnsqueeze(ctx.builder, labels, [1], { name: 'Loss/LabelColumn' })
  const picked = ctx.emit(
    'GatherElements',
    [logProbabilities, labelColumn],
    'Loss/LabelLogProbability',
    axis,
  )
  const meanLikelihood = emitReduce(ctx.builder, 'ReduceMean', picked, [0, 1], {
    keepdims: false,
    name: 'Loss/MeanLogLikelihood',
  })
  const loss = ctx.emit('Neg', [meanLikelihood], 'Loss/CrossEntropy')
  const classIndices = ctx.builder.int64Constant(
    Array.from({ length: classes }, (_, i) => i),
    [1, classes],
  )
  const isLabel = ctx.emit('Equal', [labelColumn, classIndices], 'Loss/IsLabel')
  const toFloat = [intAttribute('to', DataType.FLOAT)]
  const oneHot = ctx.emit('Cast', [isLabel], 'Loss/OneHot', toFloat)
  const probabilities = ctx.emit('Exp', [logProbabilities], 'Loss/Probabilities')
  const residual = ctx.emit('Sub', [probabilities, oneHot], 'Loss/Residual')
  const batch = ctx.emit('Shape', [labels], 'Loss/BatchSize')
  const batchFloat = ctx.emit('Cast', [batch], 'Loss/BatchSizeFloat', toFloat)
  const logitsGradient = ctx.emit('Div', [residual, batchFloat], 'Loss/LogitsGradient')
  return { loss, logitsGradient }
}
