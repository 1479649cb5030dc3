import type { RgbImage } from './image.ts'
import type { CorruptionRandom } from './random.ts'
import type { Severity, SizeTable } from './size-table.ts'

/** The 15 benchmark corruptions, then the 4 extra ("validation") ones, in the protocol's order. */
export const CORRUPTION_NAMES = [
  'gaussian_noise',
  'shot_noise',
  'impulse_noise',
  'defocus_blur',
  'glass_blur',
  'motion_blur',
  'zoom_blur',
  'snow',
  'frost',
  'fog',
  'brightness',
  'contrast',
  'elastic_transform',
  'pixelate',
  'jpeg_compression',
  'speckle_noise',
  'gaussian_blur',
  'spatter',
  'saturate',
] as const

export type CorruptionName = (typeof CORRUPTION_NAMES)[number]

/** Encodes and decodes a JPEG at a quality, as PIL does (the host provides it: sharp). */
export type JpegRoundTrip = (image: RgbImage, quality: number) => Promise<RgbImage>

export interface CorruptionCall {
  severity: Severity
  /** Which published parameter table (by image size; sizeTableFor). */
  table: SizeTable
  random: CorruptionRandom
  jpeg: JpegRoundTrip
}

export interface Corruption {
  name: CorruptionName
  family: 'noise' | 'blur' | 'weather' | 'digital'
  /** One of the 15 of mCE (false: the 4 extra ones). */
  isBenchmark: boolean
  /** Makes a gray image coloured (its channels differ afterwards). */
  addsColour: boolean
  /** Where it departs from the reference code, said wherever its results are shown. */
  deviation: string | null
  /** The corrupted image as the protocol stores it (uint8, truncated), same size. */
  apply(image: RgbImage, call: CorruptionCall): Promise<RgbImage>
}
