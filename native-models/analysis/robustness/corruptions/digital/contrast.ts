import type { Corruption, CorruptionCall } from '../corruption.ts'
import { toBytes, toFloat } from '../image.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

// Severity tables of make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const CONTRAST: SeverityTable<number> = {
  32: [0.75, 0.5, 0.4, 0.3, 0.15],
  64: [0.4, 0.3, 0.2, 0.1, 0.05],
  224: [0.4, 0.3, 0.2, 0.1, 0.05],
}

/**
 * (x − m)·c + m with m each channel's mean over the image. NumPy's mean over axes (0, 1) of an
 * HWC array adds the pixels in order (the channel axis is the inner loop), as here.
 */
export const contrast: Corruption = {
  name: 'contrast',
  family: 'digital',
  isBenchmark: true,
  // A gray image has equal channel means, so it stays gray.
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, { severity, table }: CorruptionCall): Promise<RgbImage> {
    const c = parameterFor(CONTRAST, table, severity)
    const x = toFloat(image)
    const sums = [0, 0, 0]
    for (let i = 0; i < x.data.length; i += 3) {
      sums[0] += x.data[i]
      sums[1] += x.data[i + 1]
      sums[2] += x.data[i + 2]
    }
    const pixels = image.width * image.height
    const means = sums.map((s) => s / pixels)
    for (let i = 0; i < x.data.length; i++) {
      const mean = means[i % 3]
      x.data[i] = (x.data[i] - mean) * c + mean
    }
    return Promise.resolve(toBytes(x))
  },
}
