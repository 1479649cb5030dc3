/** The trained final linear layer g(z) = W z + b. */
export interface LinearClassifier {
  /** C × d row-major float32 (the final Gemm's weight, one row per class). */
  readonly weights: Float32Array
  /** C float32. */
  readonly bias: Float32Array
  readonly classes: number
  readonly dim: number
}

/** How many supports each class keeps: a positive integer M, or 'all'. */
export type SupportFilter = number | 'all'

/**
 * What M = 'all' means. 'keep-every-support' never filters. 'reference-drops-highest-entropy'
 * reproduces matsuolab/T3A's filter_K = -1, whose `[:-1]` slice drops each class's
 * highest-entropy support on every batch (papers.md §2.1), emptying classes that hold one.
 */
export type AllSupportsBehaviour = 'keep-every-support' | 'reference-drops-highest-entropy'

/**
 * The stream's last batch when N is not a multiple of the batch size. 'predict' adapts on it and
 * predicts it like any other batch (every image gets a prediction). 'drop' leaves it out of
 * adaptation, predictions and both accuracies, as the reference's `drop_last=True` loader does.
 */
export type LastPartialBatchPolicy = 'predict' | 'drop'

export interface T3aOptions {
  readonly filter: SupportFilter
  /** Only read when filter is 'all'; defaults to 'keep-every-support'. */
  readonly allBehaviour?: AllSupportsBehaviour
  /** Defaults to 32, the reference's cached-loader batch size. */
  readonly batchSize?: number
  /** Defaults to 'predict'. */
  readonly lastPartialBatch?: LastPartialBatchPolicy
}

/** Support set after each batch. Arrays are batches × C row-major. */
export interface SupportEvolution {
  readonly batches: number
  readonly classes: number
  readonly counts: Int32Array
  /** Mean entropy of each class's supports; NaN for a class with no support. */
  readonly meanEntropy: Float64Array
  /** Mean entropy over every support, one per batch. */
  readonly overallMeanEntropy: Float64Array
}

export interface T3aResult {
  readonly filter: SupportFilter
  readonly allBehaviour: AllSupportsBehaviour | null
  readonly batchSize: number
  readonly lastPartialBatch: LastPartialBatchPolicy
  /** Images predicted: the first predictedCount images of the stream. */
  readonly predictedCount: number
  readonly droppedCount: number
  readonly basePredictions: Int32Array
  readonly t3aPredictions: Int32Array
  /** Over the predicted images; null without labels. */
  readonly baseAccuracy: number | null
  readonly t3aAccuracy: number | null
  /** Mean softmax entropy of the base logits, then of T3A's logits z · ĉ_k, over predicted images. */
  readonly baseMeanEntropy: number
  readonly t3aMeanEntropy: number
  readonly supports: SupportEvolution
}
