import { reads } from './paths.ts'
import { channel, object, text, nullable } from './channels.ts'
import type { ChannelSpecs } from './channels.ts'
import type { CorruptionName } from './corruptions.ts'

/** How images become the model's input; stored with a run and with every result. */
export interface Preprocessing {
  resize: number | null
  centerCrop: number | null
  pad: number
  grayToRgb: boolean
  mean: number[]
  std: number[]
  inputSize: [number, number]
}

/** Which images to use and how they map to logit indices. */
export interface DatasetRequest {
  /** An ImageFolder root, a folder of IDX files (MNIST family), or a folder with images.npy + labels.npy. */
  path: string
  format: 'auto' | 'imagefolder' | 'idx' | 'npy'
  /** A split by folder ('train'/'val'/'test' sub-folder) or by IDX file prefix ('train', 't10k'); null: the whole set. */
  split: string | null
  /** A seeded fraction held out of the set: 'holdout' keeps it, 'rest' keeps the others. */
  holdout: { fraction: number; seed: number; part: 'holdout' | 'rest' } | null
  /** Class index → name, in logit order; null: sorted folder names (ImageFolder) or 0..K-1. */
  classes: string[] | null
  /** A seeded random subset of this many images (after split and holdout); null: all. */
  sample: { count: number; seed: number } | null
  /** Keep only the first N images (after sampling); null: all. */
  limit: number | null
  /**
   * One (corruption, severity) slice of a precomputed corrupted set at `path` (then `format` is
   * 'auto' and `split` null); absent or null: the images at `path` as they are.
   */
  corrupted?: CorruptedSlice | null
}

/**
 * How a precomputed corrupted set is stored. 'imagenet-c': `<corruption>/<severity>/<class>/<image>`;
 * 'cifar-10-c': `<corruption>.npy` of uint8 (5N, H, W, 3), severities 1–5 stacked in order, and
 * `labels.npy` of length 5N or N.
 */
export type PrecomputedLayout = 'imagenet-c' | 'cifar-10-c'

/** One cell's images in a precomputed corrupted set. */
export interface CorruptedSlice {
  layout: PrecomputedLayout
  corruption: CorruptionName
  severity: 1 | 2 | 3 | 4 | 5
}

export interface DatasetInfo {
  id: number
  name: string
  format: 'imagefolder' | 'idx' | 'npy'
  path: string
  split: string | null
  numImages: number
  classes: string[]
  /** sha256 over the selected items' identities and bytes, the class map and the selection. */
  fingerprint: string
  /** Stored image layout before preprocessing, e.g. uint8 [28, 28] gray. */
  itemShape: number[]
}

/** A dataset the user added to the workspace (or one a job read): pick it in the launcher. */
export interface DatasetEntry extends DatasetInfo {
  /** The selection it was added with: pass it as a job's `dataset`. */
  request: DatasetRequest
  /** Generated images (the example workspace): every view that shows it says so. */
  isSynthetic: boolean
}

/** A few images of a dataset, as stored and as a model with this preprocessing sees them. */
export interface PreviewRequest {
  dataset: DatasetRequest
  /** null: only the images as stored. */
  preprocessing: Preprocessing | null
  /** How many images, from the start of the selection (1–32). */
  count: number
}

export interface PreviewImage {
  position: number
  /** The image file, or 'file.idx#123'. */
  source: string
  className: string
  /** PNG data: URLs, at most 96 px on the longer side. */
  stored: string
  /** De-normalised model input (resize, crop, pad, gray → RGB applied); null without preprocessing. */
  modelInput: string | null
  /** The model input's size in pixels. */
  inputSize: [number, number] | null
}

export interface DatasetsInvoke {
  'dataset:list': () => DatasetEntry[]
  /** Reads a labeled image set once (count, classes, fingerprint) and keeps it in the library. */
  'dataset:add': (request: DatasetRequest, name: string | null) => DatasetEntry
  /** Checks a preprocessing on real images: refused with the field to fix, else a preview. */
  'dataset:preview': (request: PreviewRequest) => PreviewImage[]
}
export const DATASETS_CHANNELS = {
  'dataset:list': channel([]),
  'dataset:add': channel([object('request'), nullable(text('name'))], [reads(0, 'path')]),
  'dataset:preview': channel([object('request')], [reads(0, 'dataset', 'path')]),
} as const satisfies ChannelSpecs<DatasetsInvoke>
