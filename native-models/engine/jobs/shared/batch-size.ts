import { measureBatchSize } from '../../batch-sizer.ts'
import { EvaluationError } from './job-errors.ts'

export interface BatchSizeInputs {
  /** The request's batch size; null: sized by time. */
  requested: number | null
  /** The model's fixed batch dimension, which wins over anything else. */
  fixedBatch: number | null
  datasetSize: number
  /** Runs the model once on `size` images (contents do not matter for timing). */
  runImages: (size: number) => Promise<void>
}

/** Batches of about a second, so a cancel waits at most that long (BatchSizer). */
export async function chooseBatchSize(inputs: BatchSizeInputs): Promise<number> {
  if (inputs.fixedBatch !== null) return inputs.fixedBatch
  if (inputs.requested !== null) {
    if (!Number.isInteger(inputs.requested) || inputs.requested < 1) {
      throw new EvaluationError(`Batch size must be a positive integer, got ${inputs.requested}.`)
    }
    return inputs.requested
  }
  const maxSize = Math.max(1, Math.min(256, inputs.datasetSize))
  const sizing = await measureBatchSize(inputs.runImages, { maxSize })
  return sizing.batchSize
}
