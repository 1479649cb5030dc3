import type { Preprocessing } from '../../electron/api/contract/index.ts'
import { corruptShapedImage } from './corrupt-image.ts'
import type { CorruptionSpec } from './corrupt-image.ts'
import { DatasetError } from './errors.ts'
import { centerCrop, resizeShorterSide, resizeThenCrop } from './transform.ts'
import type { RawImage, ResampleFilter } from './types.ts'

/** What one image becomes: [channels, height, width] float32, and how. */
export interface PreprocessPlan {
  preprocessing: Preprocessing
  filter: ResampleFilter
  channels: number
  height: number
  width: number
  /** Per output channel, the normalised float32 of each uint8 value 0..255. */
  tables: Float32Array[]
  /** Applied after resize and crop, before normalisation (robustness sweeps); null: none. */
  corruption: CorruptionSpec | null
}

const f32 = Math.fround

/** torchvision's ToTensor then Normalize, in float32: (v / 255 - mean) / std. */
function normalizeScaled(scaled: number, mean: number, std: number): number {
  return f32(f32(scaled - f32(mean)) / f32(std))
}

function normalizationTable(mean: number, std: number): Float32Array {
  const table = new Float32Array(256)
  for (let value = 0; value < 256; value += 1) {
    table[value] = normalizeScaled(f32(value / 255), mean, std)
  }
  return table
}

function channelStatistic(values: number[], channel: number): number {
  return values.length === 1 ? values[0] : values[channel]
}

/** Checks the preprocessing against the stored channels and precomputes the normalisation. */
export function planPreprocessing(
  preprocessing: Preprocessing,
  storedChannels: number,
  filter: ResampleFilter = 'bilinear',
  corruption: CorruptionSpec | null = null,
): PreprocessPlan {
  const channels = preprocessing.grayToRgb ? 3 : storedChannels
  const { mean, std } = preprocessing
  if (![1, channels].includes(mean.length) || std.length !== mean.length) {
    const fix =
      channels === 1 ? 'give one mean and one std, or set grayToRgb' : 'give 1 or 3 of each'
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `The preprocessing has ${mean.length} mean and ${std.length} std values but the images have ${channels} channel(s): ${fix}.`,
    )
  }
  const tables = Array.from({ length: channels }, (_, c) =>
    normalizationTable(channelStatistic(mean, c), channelStatistic(std, c)),
  )
  if (corruption !== null && channels !== 3) {
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `Corruptions make RGB images but this model takes ${channels} channel(s): set grayToRgb in the preprocessing.`,
    )
  }
  const [height, width] = preprocessing.inputSize
  return { preprocessing, filter, channels, height, width, tables, corruption }
}

/** Resize and center crop as torchvision does on the PIL image: the uint8 (or [0, 1] float) result. */
export function geometricSteps(
  image: RawImage,
  preprocessing: Preprocessing,
  filter: ResampleFilter,
): RawImage {
  const { resize, centerCrop: crop } = preprocessing
  if (resize !== null && crop !== null) return resizeThenCrop(image, resize, crop, filter)
  if (resize !== null) return resizeShorterSide(image, resize, filter)
  if (crop !== null) return centerCrop(image, crop)
  return image
}

function assertFits(image: RawImage, plan: PreprocessPlan, name: string): void {
  if (image.channels !== plan.channels && !(image.channels === 1 && plan.channels === 3)) {
    throw new DatasetError(
      'SHAPE_MISMATCH',
      `'${name}' is RGB but the dataset's images are gray: convert it to gray, or set grayToRgb so every image becomes RGB.`,
    )
  }
  const pad = plan.preprocessing.pad
  const height = image.height + 2 * pad
  const width = image.width + 2 * pad
  if (height !== plan.height || width !== plan.width) {
    throw new DatasetError(
      'SHAPE_MISMATCH',
      `'${name}' is ${width}×${height} after preprocessing but the input size is ${plan.width}×${plan.height}: set resize, centerCrop or pad so that every image ends at the input size.`,
    )
  }
}

function writeChannel(
  image: RawImage,
  plan: PreprocessPlan,
  channel: number,
  target: Float32Array,
  offset: number,
): void {
  const { pad } = plan.preprocessing
  const table = plan.tables[channel]
  const sourceChannel = image.channels === 1 ? 0 : channel
  target.fill(table[0], offset, offset + plan.height * plan.width)
  const mean = channelStatistic(plan.preprocessing.mean, channel)
  const std = channelStatistic(plan.preprocessing.std, channel)
  const { data, channels } = image
  for (let y = 0; y < image.height; y += 1) {
    let out = offset + (y + pad) * plan.width + pad
    let p = y * image.width * channels + sourceChannel
    if (data instanceof Uint8Array) {
      for (let x = 0; x < image.width; x += 1, p += channels) target[out++] = table[data[p]]!
    } else {
      for (let x = 0; x < image.width; x += 1, p += channels)
        target[out++] = normalizeScaled(data[p], mean, std)
    }
  }
}

/**
 * Preprocesses one decoded image into `target` at `offset` as [C, H, W] float32: resize, center crop,
 * zero pad, gray → RGB, then (x / 255 − mean) / std exactly as torchvision computes it in float32.
 */
export function preprocessInto(
  image: RawImage,
  plan: PreprocessPlan,
  target: Float32Array,
  offset: number,
  name: string,
): void {
  const shaped = geometricSteps(image, plan.preprocessing, plan.filter)
  assertFits(shaped, plan, name)
  writeNormalised(shaped, plan, target, offset)
}

/**
 * The same with the plan's corruption between the geometric steps and the normalisation;
 * `position` (the image's place in the dataset) seeds its draws.
 */
export async function preprocessCorruptedInto(
  image: RawImage,
  plan: PreprocessPlan,
  target: Float32Array,
  offset: number,
  item: { name: string; position: number },
): Promise<void> {
  if (plan.corruption === null) return preprocessInto(image, plan, target, offset, item.name)
  await corruptShapedInto(shapeImage(image, plan, item.name), plan, target, offset, item)
}

/** Resize and center crop, checked against the input size: what a corruption starts from. */
export function shapeImage(image: RawImage, plan: PreprocessPlan, name: string): RawImage {
  const shaped = geometricSteps(image, plan.preprocessing, plan.filter)
  assertFits(shaped, plan, name)
  return shaped
}

/**
 * The plan's corruption (and normalisation) of an image already resized and cropped
 * (shapeImage); the second half of preprocessCorruptedInto.
 */
export async function corruptShapedInto(
  shaped: RawImage,
  plan: PreprocessPlan,
  target: Float32Array,
  offset: number,
  item: { name: string; position: number },
): Promise<void> {
  const spec = plan.corruption
  if (spec === null) throw new TypeError('corruptShapedInto needs a plan with a corruption.')
  const pad = plan.preprocessing.pad
  const corrupted = await corruptShapedImage(shaped, spec, pad, item.position, item.name)
  const padLeft = spec.padding === 'after' ? 0 : pad
  writeNormalised(
    corrupted,
    { ...plan, preprocessing: { ...plan.preprocessing, pad: padLeft } },
    target,
    offset,
  )
}

function writeNormalised(
  shaped: RawImage,
  plan: PreprocessPlan,
  target: Float32Array,
  offset: number,
): void {
  const planeSize = plan.height * plan.width
  for (let c = 0; c < plan.channels; c += 1)
    writeChannel(shaped, plan, c, target, offset + c * planeSize)
}

/** Elements of one preprocessed image. */
export function itemLength(plan: PreprocessPlan): number {
  return plan.channels * plan.height * plan.width
}
