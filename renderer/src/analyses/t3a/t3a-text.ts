import type { FeatureSource, T3aResult } from '../../../../electron/api/contract/index.ts'

/** The stream T3A saw, in words: order, batch, last partial batch and what M = all meant. */
export function protocolText(
  result: Pick<T3aResult, 'order' | 'streamBatch' | 'lastPartialBatch' | 'allBehaviour'>,
): string {
  const order =
    result.order.kind === 'shuffle'
      ? `a seeded shuffle (seed ${result.order.seed})`
      : 'dataset order (an image folder is sorted by class: the supports collapse)'
  const last =
    result.lastPartialBatch === 'drop'
      ? 'the last partial batch left out of the accuracy (the reference’s drop_last)'
      : 'the last partial batch adapted on and predicted'
  const all =
    result.allBehaviour === 'keep-every-support'
      ? 'M = all keeps every support'
      : 'M = all as the reference code (each class’s highest-entropy support dropped every batch)'
  return `Each domain from a fresh state, streamed in ${order}, batches of ${result.streamBatch}, ${last}; ${all}.`
}

/** 'cache hit' or 'computed (2,000 forward passes)'. */
export function featureText(source: FeatureSource): string {
  return source.cache === 'hit'
    ? 'cache hit'
    : `computed (${source.forwardPasses.toLocaleString()} forward passes)`
}
