import type { DatasetInfo, Preprocessing } from '../../electron/api/contract.ts'

/** An opened, selected dataset: split, holdout, sample and limit already applied. */
export interface Dataset {
  info: Omit<DatasetInfo, 'id' | 'name'> & { name: string }
  /** Number of selected images. */
  size: number
  /** Logit index of each selected image, in selection order. */
  labels: Int32Array
  /** Human-readable identity of a selected item (file path, or 'file.idx#123'), for error messages. */
  describe(position: number): string
}

/** One preprocessed batch. */
export interface Batch {
  /** NCHW float32, normalised as the preprocessing says. */
  images: Float32Array
  /** [N, C, H, W] */
  dims: [number, number, number, number]
  labels: Int32Array
  /** Selection positions of the images in this batch. */
  positions: number[]
}

/** Reads and preprocesses batches, preparing the next while the caller runs the current one. */
export interface BatchLoader extends AsyncIterable<Batch> {
  readonly batchSize: number
  readonly batchCount: number
  close(): Promise<void>
}

export interface BatchLoaderOptions {
  preprocessing: Preprocessing
  batchSize: number
  /** Drop a last partial batch (minibatch CKA needs equal batches); default false. */
  dropLast?: boolean
  /** Selection positions in the order to read; default 0..size-1. */
  order?: readonly number[]
}
