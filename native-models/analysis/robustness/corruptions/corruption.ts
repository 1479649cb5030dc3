import type { RgbImage } from './image.ts'
import type { CorruptionRandom } from './random.ts'
import type { Severity, SizeTable } from './size-table.ts'

import type { CorruptionName } from '../../../../electron/api/contract/index.ts'

export { CORRUPTION_NAMES } from '../../../../electron/api/contract/index.ts'
export type { CorruptionName } from '../../../../electron/api/contract/index.ts'

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
