import type { CorruptionSpec } from './corrupt-image.ts'
import type { DatasetInfo, Preprocessing } from '../../electron/api/contract/index.ts'

/** Decoded pixels of one image: HWC, row-major. */
export interface RawImage {
  /** uint8 0..255, or float32 already on ToTensor's [0, 1] scale (float32 NPY files). */
  data: Uint8Array | Float32Array
  width: number
  height: number
  /** 1 (gray) or 3 (RGB); alpha is dropped at decode. */
  channels: number
}

/** Where a selected item's pixels come from. */
export type ItemSource = { kind: 'file'; path: string } | { kind: 'pixels'; image: RawImage }

/** An opened, selected dataset: split, holdout, sample and limit already applied. */
export interface Dataset {
  info: Omit<DatasetInfo, 'id' | 'name'> & { name: string }
  /** Number of selected images. */
  size: number
  /** Logit index of each selected image, in selection order. */
  labels: Int32Array
  /** Channels of the stored images (ImageFolder: those of the first selected image). */
  channels: number
  /** Things worth telling the user that did not stop the dataset from opening (skipped files, ...). */
  warnings: string[]
  /** Human-readable identity of a selected item (file path, or 'file.idx#123'), for error messages. */
  describe(position: number): string
  /** The encoded file or the in-memory pixels of a selected item. */
  source(position: number): ItemSource
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
  /**
   * With `keepShaped`: [N, h, w, 3] uint8 RGB, each image after resize and crop, before padding
   * and corruption (what the decoded-image cache stores).
   */
  shaped?: Uint8Array
}

/** Reads and preprocesses batches, preparing the next while the caller runs the current one. */
export interface BatchLoader extends AsyncIterable<Batch> {
  readonly batchSize: number
  readonly batchCount: number
  close(): Promise<void>
}

/**
 * Pillow's resampling filter for `resize` (torchvision's `InterpolationMode`; default bilinear).
 * 'box' is ImageNet-C's pixelate.
 */
export type ResampleFilter = 'bilinear' | 'bicubic' | 'box'

export interface BatchLoaderOptions {
  preprocessing: Preprocessing
  batchSize: number
  /** Drop a last partial batch (minibatch CKA needs equal batches); default false. */
  dropLast?: boolean
  /** Selection positions in the order to read; default 0..size-1. */
  order?: readonly number[]
  /** Default 'bilinear', torchvision's default for Resize. */
  filter?: ResampleFilter
  /** An ImageNet-C cell applied after resize and crop, before normalisation; default none. */
  corruption?: CorruptionSpec | null
  /**
   * Worker threads that decode and preprocess; 0 runs in the caller's thread. Default: files, and
   * any corrupted images (heavy filters), use max(1, cores - 1) workers; other in-memory pixels
   * (IDX, NPY) run in the caller's thread.
   */
  workers?: number
  /** Also return each batch's images as the corruption received them (Batch.shaped). */
  keepShaped?: boolean
  /** Batches prepared ahead of the one being consumed; default 1. */
  prefetch?: number
  /**
   * The worker entry: default `preprocess-worker.ts` beside this module (Node 22 strips its types).
   * A bundled app passes its built copy.
   */
  workerScript?: URL | string
}
