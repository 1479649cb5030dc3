import type { Hash } from 'node:crypto'
import type { DatasetInfo } from '../../electron/api/contract/index.ts'
import type { ItemSource, RawImage } from './types.ts'

/** How items name their class: a folder name (ImageFolder) or an integer label (IDX, NPY). */
export type Labeling =
  | { kind: 'folders'; classFolders: string[]; classNames: string[] }
  | { kind: 'numbers'; labels: ArrayLike<number>; file: string }

/** Everything a reader found, before the class map and the selection are applied. */
export interface SourceSet {
  format: DatasetInfo['format']
  root: string
  split: string | null
  size: number
  labeling: Labeling
  describe(index: number): string
  source(index: number): ItemSource
  /** Stored channels and item shape; ImageFolder reads them from the first selected image. */
  probe(index: number): Promise<{ channels: number; itemShape: number[] }>
  /** Feeds the selected items' identities and content hashes into the dataset fingerprint. */
  fingerprint(selected: Int32Array, hash: Hash): Promise<void>
  warnings: string[]
}

/** N images in one typed array, HWC ('hwc') or planar ('chw') per image. */
export interface PixelArray {
  data: Uint8Array | Float32Array
  count: number
  height: number
  width: number
  channels: number
  layout: 'hwc' | 'chw'
}

/** One image of a pixel array as HWC: a view for HWC storage, a copy for planar storage. */
export function pixelImage(array: PixelArray, index: number): RawImage {
  const { height, width, channels } = array
  const length = height * width * channels
  const stored = array.data.subarray(index * length, (index + 1) * length)
  if (array.layout === 'hwc' || channels === 1) return { data: stored, width, height, channels }
  const data = stored instanceof Uint8Array ? new Uint8Array(length) : new Float32Array(length)
  const plane = height * width
  for (let c = 0; c < channels; c += 1) {
    for (let p = 0; p < plane; p += 1) data[p * channels + c] = stored[c * plane + p]!
  }
  return { data, width, height, channels }
}
