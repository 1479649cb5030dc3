import type { RowScore } from './classifier-rows.ts'

/** What an evaluation keeps of each image, by selection position (for intervals and drill-down). */
export interface PerImageRecords {
  labels: Int32Array
  predicted: Int32Array
  /** Probability of the predicted class. */
  confidence: Float32Array
  /** −log p(true class). */
  nll: Float32Array
  /** 1 when the true class is among the top 5. */
  inTopK: Uint8Array
}

const FIELDS = 5

/** The blob role an evaluation stores its per-image records under. */
export const PER_IMAGE_BLOB = 'per-image'

export function emptyPerImageRecords(count: number): PerImageRecords {
  return {
    labels: new Int32Array(count),
    predicted: new Int32Array(count),
    confidence: new Float32Array(count),
    nll: new Float32Array(count),
    inTopK: new Uint8Array(count),
  }
}

export function recordImage(
  records: PerImageRecords,
  position: number,
  label: number,
  score: RowScore,
): void {
  records.labels[position] = label
  records.predicted[position] = score.predicted
  records.confidence[position] = score.confidence
  records.nll[position] = score.nll
  records.inTopK[position] = score.isInTopK ? 1 : 0
}

/** 1 where the prediction is the label. */
export function correctOf(records: PerImageRecords): Uint8Array {
  return Uint8Array.from(records.labels, (label, i) => (label === records.predicted[i] ? 1 : 0))
}

/**
 * The stored form (the 'per-image' blob): float32 [5][N] rows label, predicted, confidence, nll,
 * in-top-5. Class indices are exact in float32 up to 2^24 classes.
 */
export function encodePerImage(records: PerImageRecords): Uint8Array {
  const n = records.labels.length
  const rows = new Float32Array(FIELDS * n)
  rows.set(records.labels, 0)
  rows.set(records.predicted, n)
  rows.set(records.confidence, 2 * n)
  rows.set(records.nll, 3 * n)
  rows.set(records.inTopK, 4 * n)
  return new Uint8Array(rows.buffer)
}

export function decodePerImage(rows: Float32Array): PerImageRecords {
  if (rows.length % FIELDS !== 0)
    throw new RangeError(
      `A per-image blob holds ${rows.length} values, not a multiple of ${FIELDS}.`,
    )
  const n = rows.length / FIELDS
  const row = (i: number): Float32Array => rows.subarray(i * n, (i + 1) * n)
  return {
    labels: Int32Array.from(row(0)),
    predicted: Int32Array.from(row(1)),
    confidence: Float32Array.from(row(2)),
    nll: Float32Array.from(row(3)),
    inTopK: Uint8Array.from(row(4)),
  }
}
