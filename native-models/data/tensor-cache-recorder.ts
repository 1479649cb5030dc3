import type { CachedBatches, TensorCacheReport } from './tensor-cache-batches.ts'
import type { Batch, BatchLoader } from './types.ts'

export interface RecordingTarget<T> {
  file: string
  header: { size: number }
  /** Labels in selection order, written after the images. */
  labels: Int32Array
  /** What of each batch the file keeps: its tensors, or its images before corruption. */
  content: (batch: Batch) => T
}

/** A cache file being written: the tensor cache's, or the decoded-image cache's. */
export interface CacheFileWriter<T> {
  append(content: T): Promise<void>
  finish(labels: Int32Array): Promise<void>
  abort(): Promise<void>
}

/**
 * Passes a loader's batches through unchanged and appends each one to the cache file. Writes go to
 * libuv's thread pool while ORT runs, so a cold cache costs the job little. The file is kept only
 * when every image passed in order; a cancel, an error or a failed write leaves no file behind, and
 * a failed write never fails the job (the cache is an optimisation).
 */
export function recordWhileLoading<T>(
  inner: BatchLoader,
  writer: CacheFileWriter<T>,
  target: RecordingTarget<T>,
): CachedBatches {
  let report: TensorCacheReport = { status: 'miss', file: target.file }
  let nextPosition = 0
  let isInOrder = true
  let isSettled = false
  let writeError: Error | null = null
  let writes = Promise.resolve()

  const record = (batch: Batch): void => {
    if (isSettled || !isInOrder) return
    isInOrder = batch.positions.every((position, i) => position === nextPosition + i)
    nextPosition += batch.positions.length
    // Batches are fresh arrays that neither the job nor ORT writes to, so no copy is needed.
    writes = writes
      .then(() =>
        isInOrder && writeError === null ? writer.append(target.content(batch)) : undefined,
      )
      .catch((error: unknown) => {
        writeError ??= asError(error)
      })
  }

  const settle = async (isComplete: boolean): Promise<void> => {
    if (isSettled) return
    isSettled = true
    await writes
    try {
      if (isComplete && isInOrder && writeError === null) {
        await writer.finish(target.labels)
        report = { status: 'stored', file: target.file }
        return
      }
    } catch (error) {
      writeError = asError(error)
    }
    await writer.abort()
    if (writeError !== null) report = { status: 'miss', file: null, error: writeError.message }
  }

  return {
    loader: {
      batchSize: inner.batchSize,
      batchCount: inner.batchCount,
      async *[Symbol.asyncIterator]() {
        let isComplete = false
        try {
          for await (const batch of inner) {
            record(batch)
            yield batch
          }
          isComplete = nextPosition === target.header.size
        } finally {
          await settle(isComplete)
        }
      },
      async close() {
        await inner.close()
        await settle(false)
      },
    },
    report: () => ({ ...report }),
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
