import type { Corruption, CorruptionCall } from '../corruption.ts'
import { resample } from '../../../../data/resample.ts'
import type { RawImage } from '../../../../data/types.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

// Severity tables of make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const PIXELATE: SeverityTable<number> = {
  32: [0.95, 0.9, 0.85, 0.75, 0.65],
  64: [0.9, 0.8, 0.7, 0.6, 0.5],
  224: [0.6, 0.5, 0.4, 0.3, 0.25],
}

/**
 * PIL resize to int(side · c) with BOX, then back to the original size with BOX (Pillow's
 * resampler, data/resample.ts). The reference
 * writes the table size (32, 64, 224) for the side; here each side of the image is used, which is
 * the same for a square image of the table's size and keeps other sizes and shapes working.
 */
export const pixelate: Corruption = {
  name: 'pixelate',
  family: 'digital',
  isBenchmark: true,
  // Channels are resampled alike: a gray image stays gray.
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, { severity, table }: CorruptionCall): Promise<RgbImage> {
    const c = parameterFor(PIXELATE, table, severity)
    const smallWidth = Math.trunc(image.width * c)
    const smallHeight = Math.trunc(image.height * c)
    if (smallWidth < 1 || smallHeight < 1) {
      throw new RangeError(
        `pixelate: a ${image.width}×${image.height} image shrinks to nothing at factor ${c}.`,
      )
    }
    const small = resample(asRaw(image), smallWidth, smallHeight, 'box')
    const back = resample(small, image.width, image.height, 'box')
    return Promise.resolve({
      width: back.width,
      height: back.height,
      data: back.data as Uint8Array,
    })
  },
}

function asRaw(image: RgbImage): RawImage {
  return { data: image.data, width: image.width, height: image.height, channels: 3 }
}
