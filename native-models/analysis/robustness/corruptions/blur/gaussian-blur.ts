import type { Corruption, CorruptionCall } from '../corruption.ts'
import { gaussianFilter } from '../filters/gaussian.ts'
import { toBytes, toFloat } from '../image.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

// σ of make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const SIGMA: SeverityTable<number> = {
  32: [0.4, 0.6, 0.7, 0.8, 1],
  64: [0.5, 0.75, 1, 1.25, 1.5],
  224: [1, 2, 3, 4, 6],
}

/** skimage gaussian(x, σ) per channel (mode 'nearest', truncate 4). */
export const gaussianBlur: Corruption = {
  name: 'gaussian_blur',
  family: 'blur',
  isBenchmark: false,
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, { severity, table }: CorruptionCall): Promise<RgbImage> {
    const blurred = gaussianFilter(toFloat(image), parameterFor(SIGMA, table, severity))
    return Promise.resolve(toBytes(blurred))
  },
}
