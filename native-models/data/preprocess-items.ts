import { asRgb } from './corrupt-image.ts'
import { decodeImageFile } from './decode-image.ts'
import type { PreprocessPlan } from './preprocess.ts'
import {
  corruptShapedInto,
  itemLength,
  preprocessCorruptedInto,
  preprocessInto,
  shapeImage,
} from './preprocess.ts'
import type { ItemSource, RawImage } from './types.ts'

export interface NamedSource {
  source: ItemSource
  /** For error messages: the file path or 'file#index'. */
  name: string
  /** Its place in the dataset: seeds a corruption's draws for this image. */
  position?: number
}

function pixelsOf(item: NamedSource): Promise<RawImage> {
  return item.source.kind === 'file'
    ? decodeImageFile(item.source.path)
    : Promise.resolve(item.source.image)
}

/** Preprocessed items, and (when asked) the uint8 images they were corrupted from. */
export interface PreparedItems {
  /** [N, C, H, W] float32, normalised. */
  images: Float32Array
  /** [N, h, w, 3] uint8 RGB after resize and crop, before padding and corruption; or null. */
  shaped: Uint8Array | null
}

/** Bytes of one image after resize and crop, as RGB: the input size less the padding. */
export function shapedItemLength(plan: PreprocessPlan): number {
  const pad = plan.preprocessing.pad
  return (plan.height - 2 * pad) * (plan.width - 2 * pad) * 3
}

/**
 * Decodes and preprocesses items into one [N, C, H, W] float32 array. All decodes start at once
 * (sharp decodes in libuv's threads), so decoding the next image overlaps resampling this one;
 * so do the items' corruptions, so JPEG round trips (sharp again) overlap too. Each item writes
 * its own slice and seeds its own draws, so the order they finish in changes nothing; the first
 * failing item in order is the error reported. `keepShaped` (corruption plans only) also returns
 * each image as the corruption received it, so a sweep's other cells need not decode again.
 */
export async function preprocessItems(
  items: readonly NamedSource[],
  plan: PreprocessPlan,
  keepShaped = false,
): Promise<PreparedItems> {
  if (keepShaped && plan.corruption === null)
    throw new TypeError('Only a corruption plan keeps the shaped images.')
  const length = itemLength(plan)
  const target = new Float32Array(items.length * length)
  const shapedLength = shapedItemLength(plan)
  const shaped = keepShaped ? new Uint8Array(items.length * shapedLength) : null
  const prepareOne = async (item: NamedSource, i: number): Promise<void> => {
    const named = { name: item.name, position: item.position ?? i }
    const image = await pixelsOf(item)
    if (shaped === null) return preprocessCorruptedInto(image, plan, target, i * length, named)
    const rgb = asRgb(shapeImage(image, plan, item.name), 0, item.name)
    shaped.set(rgb.data, i * shapedLength)
    const kept = { data: rgb.data, width: rgb.width, height: rgb.height, channels: 3 }
    await corruptShapedInto(kept, plan, target, i * length, named)
  }
  const outcomes = await Promise.allSettled(items.map(prepareOne))
  const failed = outcomes.find((outcome) => outcome.status === 'rejected')
  if (failed !== undefined) throw failed.reason
  return { images: target, shaped }
}

/** The same for in-memory pixels only, without awaiting: for small IDX/NPY sets in the caller's thread. */
export function preprocessPixelsNow(
  items: readonly NamedSource[],
  plan: PreprocessPlan,
): Float32Array {
  if (plan.corruption !== null) throw new TypeError('A corruption plan runs with preprocessItems.')
  const length = itemLength(plan)
  const target = new Float32Array(items.length * length)
  for (const [i, item] of items.entries()) {
    if (item.source.kind !== 'pixels')
      throw new TypeError(`'${item.name}' is a file: decode it with preprocessItems.`)
    preprocessInto(item.source.image, plan, target, i * length, item.name)
  }
  return target
}
