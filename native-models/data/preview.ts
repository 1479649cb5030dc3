import sharp from 'sharp'
import type { Preprocessing } from '../../electron/api/contract/index.ts'
import { decodeImageFile } from './decode-image.ts'
import type { CorruptionSpec } from './corrupt-image.ts'
import { itemLength, planPreprocessing, preprocessCorruptedInto } from './preprocess.ts'
import type { Dataset, RawImage } from './types.ts'

export interface ImagePreview {
  /** A PNG as a data: URL, at most `maxSide` pixels on its longer side (small images enlarged). */
  url: string
  /** The size of the image shown, before scaling for display. */
  width: number
  height: number
}

export async function rawImageOf(dataset: Dataset, position: number): Promise<RawImage> {
  const source = dataset.source(position)
  return source.kind === 'file' ? decodeImageFile(source.path) : source.image
}

/**
 * The model's input de-normalised back to 0..255: resize, crop, pad and gray → RGB as it sees
 * them, and the corruption cell when one is given.
 */
async function asModelSees(
  image: RawImage,
  preprocessing: Preprocessing,
  item: { name: string; position: number },
  corruption: CorruptionSpec | null = null,
): Promise<RawImage> {
  const plan = planPreprocessing(preprocessing, image.channels, 'bilinear', corruption)
  const tensor = new Float32Array(itemLength(plan))
  await preprocessCorruptedInto(image, plan, tensor, 0, item)
  const { channels, height, width } = plan
  const pixels = new Uint8Array(channels * height * width)
  const plane = height * width
  for (let c = 0; c < channels; c++) {
    const mean = preprocessing.mean[preprocessing.mean.length === 1 ? 0 : c]
    const std = preprocessing.std[preprocessing.std.length === 1 ? 0 : c]
    for (let i = 0; i < plane; i++) {
      const value = (tensor[c * plane + i] * std + mean) * 255
      pixels[i * channels + c] = Math.min(255, Math.max(0, Math.round(value)))
    }
  }
  return { data: pixels, width, height, channels }
}

function asBytes(image: RawImage): Uint8Array {
  if (image.data instanceof Uint8Array) return image.data
  return Uint8Array.from(image.data, (v) => Math.min(255, Math.max(0, Math.round(v * 255))))
}

export async function encoded(image: RawImage, maxSide: number): Promise<ImagePreview> {
  const scale = maxSide / Math.max(image.width, image.height)
  const png = await sharp(asBytes(image), {
    raw: { width: image.width, height: image.height, channels: image.channels as 1 | 3 },
  })
    .resize({
      width: Math.max(1, Math.round(image.width * scale)),
      height: Math.max(1, Math.round(image.height * scale)),
      kernel: scale >= 1 ? 'nearest' : 'lanczos3',
    })
    .png()
    .toBuffer()
  return {
    url: `data:image/png;base64,${png.toString('base64')}`,
    width: image.width,
    height: image.height,
  }
}

/**
 * One selected image as PNGs, decoded once: as stored and, with `preprocessing`, as the model
 * sees it (de-normalised). Nearest-neighbour scaling keeps a 28-pixel digit crisp.
 */
export async function previewImage(
  dataset: Dataset,
  position: number,
  preprocessing: Preprocessing | null,
  maxSide = 96,
): Promise<{ stored: ImagePreview; modelInput: ImagePreview | null }> {
  const raw = await rawImageOf(dataset, position)
  const name = dataset.describe(position)
  return {
    stored: await encoded(raw, maxSide),
    modelInput: preprocessing
      ? await encoded(await asModelSees(raw, preprocessing, { name, position }), maxSide)
      : null,
  }
}

/** One image as the model sees it under a corruption cell (null: clean), as a PNG. */
export async function corruptedPreview(
  raw: RawImage,
  preprocessing: Preprocessing,
  item: { name: string; position: number },
  corruption: CorruptionSpec | null,
  maxSide: number,
): Promise<ImagePreview> {
  return encoded(await asModelSees(raw, preprocessing, item, corruption), maxSide)
}
