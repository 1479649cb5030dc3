import type {
  CkaGramsRequest,
  ErrorCode,
  ModelSummary,
} from '../../../../electron/api/contract/index.ts'
import type { GraphProto } from '../../../onnx/proto.ts'
import type { ActivationTap } from '../../../surgery/activation-graph.ts'
import { POOLED_TAP_KEY, resolveActivationTaps } from '../shared/taps.ts'
import type { BatchOrder } from './batch-order.ts'
import { maxGramBatch } from '../../../analysis/cka/gram-batch.ts'

export class CkaError extends Error {
  override readonly name = 'CkaError'
  readonly code: ErrorCode = 'INVALID_ARGUMENT'
}

/**
 * The stem, every block output and the pooled features (18 for ResNet50), or the given keys:
 * layer keys, or with the graph any node or tensor name (resolveActivationTaps).
 */
export function resolveCkaTaps(
  summary: ModelSummary,
  keys: readonly string[] | null,
  graph?: Readonly<GraphProto>,
): ActivationTap[] {
  const standard = [
    ...summary.layers.filter((l) => l.kind === 'stem' || l.kind === 'block').map((l) => l.key),
    POOLED_TAP_KEY,
  ]
  return resolveActivationTaps(summary, keys ?? standard, graph)
}

export function assertCkaBatch(
  request: CkaGramsRequest,
  order: BatchOrder,
  size: { height: number; width: number },
): void {
  const n = request.gramBatch
  const limit = maxGramBatch(size.height * size.width)
  if (!Number.isInteger(n) || n < 4) {
    throw new CkaError(
      `CKA needs at least 4 images per batch (the unbiased HSIC divides by n−3); got ${n}.`,
    )
  }
  if (n > limit) {
    throw new CkaError(
      `${n} images per Gram batch is more than fits at ${size.height}×${size.width} (at most ${limit}); use a smaller batch or --limit ${limit} for full-batch CKA.`,
    )
  }
  if (order.batches === 0) {
    throw new CkaError(
      `The selection has ${order.dropped} images, fewer than one batch of ${n}: choose more images or a smaller batch.`,
    )
  }
  if (!Number.isSafeInteger(request.orderSeed)) {
    throw new CkaError(`The batch-order seed ${request.orderSeed} is not a safe integer.`)
  }
}
