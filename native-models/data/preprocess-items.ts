import { decodeImageFile } from './decode-image.ts'
import type { PreprocessPlan } from './preprocess.ts'
import { itemLength, preprocessCorruptedInto, preprocessInto } from './preprocess.ts'
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

/**
 * Decodes and preprocesses items into one [N, C, H, W] float32 array. All decodes start at once
 * (sharp decodes in libuv's threads), so decoding the next image overlaps resampling this one.
 */
export async function preprocessItems(
  items: readonly NamedSource[],
  plan: PreprocessPlan,
): Promise<Float32Array> {
  const length = itemLength(plan)
  const target = new Float32Array(items.length * length)
  const decoded = items.map(pixelsOf)
  for (const pending of decoded) pending.catch(() => undefined) // awaited below, in order
  for (const [i, item] of items.entries()) {
    const position = item.position ?? i
    const named = { name: item.name, position }
    await preprocessCorruptedInto(await decoded[i], plan, target, i * length, named)
  }
  return target
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
