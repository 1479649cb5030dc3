import {
  CORRUPTION_NAMES,
  corruptionNamed,
  seededRandom,
  sizeTableFor,
} from '../analysis/robustness/corruptions/index.ts'
import type { RgbImage } from '../analysis/robustness/corruptions/index.ts'
import type { CorruptionCell } from '../../electron/api/contract/index.ts'
import { DatasetError } from './errors.ts'
import { jpegRoundTrip } from './jpeg-round-trip.ts'
import type { RawImage } from './types.ts'

/** One corruption cell as the data pipeline applies it to every image (the contract's cell). */
export type CorruptionSpec = CorruptionCell

/** The seed of one image's draws in one cell. */
export function imageCorruptionSeed(spec: CorruptionSpec, position: number): number {
  const cell = (spec.seed * 32 + CORRUPTION_NAMES.indexOf(spec.name)) * 8 + spec.severity
  return cell * 2 ** 21 + position
}

/** The image as RGB uint8 with `pad` zero pixels around it (gray replicated). */
export function asRgb(image: RawImage, pad: number, name: string): RgbImage {
  if (!(image.data instanceof Uint8Array)) {
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `'${name}' holds float pixels; corruptions work on 8-bit images as the protocol stores them.`,
    )
  }
  const width = image.width + 2 * pad
  const height = image.height + 2 * pad
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const from = (y * image.width + x) * image.channels
      const to = ((y + pad) * width + x + pad) * 3
      for (let c = 0; c < 3; c++) data[to + c] = image.data[from + (image.channels === 1 ? 0 : c)]
    }
  }
  return { width, height, data }
}

/**
 * The image after resize and crop, corrupted as one ImageNet-C cell: gray becomes RGB first
 * (several corruptions add colour), padded first when `padding` is 'after'; the result is an RGB
 * uint8 image the normalisation then reads (with the padding still to add when 'before').
 */
export async function corruptShapedImage(
  shaped: RawImage,
  spec: CorruptionSpec,
  pad: number,
  position: number,
  name: string,
): Promise<RawImage> {
  const padFirst = spec.padding === 'after' ? pad : 0
  const rgb = asRgb(shaped, padFirst, name)
  const corruption = corruptionNamed(spec.name)
  const random = seededRandom(imageCorruptionSeed(spec, position))
  const table = sizeTableFor(rgb.width, rgb.height)
  const call = { severity: spec.severity, table, random, jpeg: jpegRoundTrip }
  let corrupted = await corruption.apply(rgb, call)
  if (spec.jpegQuality !== null) corrupted = await jpegRoundTrip(corrupted, spec.jpegQuality)
  return { data: corrupted.data, width: corrupted.width, height: corrupted.height, channels: 3 }
}
