/** One eigenvalue problem sent to a worker: a symmetric PSD d×d Gram, row-major (moved, not copied). */
export interface EigenvalueTask {
  id: number
  gram: Float64Array
  order: number
}

/** A worker's answer: the Gram's eigenvalues (descending) and the time it spent, or why it failed. */
export type EigenvalueReply =
  { id: number; eigenvalues: Float64Array; elapsedMs: number } | { id: number; error: string }
