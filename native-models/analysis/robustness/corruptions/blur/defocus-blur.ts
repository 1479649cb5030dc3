import type { Corruption, CorruptionCall } from '../corruption.ts'
import { opencvFilter2D, opencvGaussianBlur32 } from '../filters/opencv-filter.ts'
import { toBytes, toFloat } from '../image.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

interface DefocusParameters {
  radius: number
  aliasBlur: number
}

const defocus = (radius: number, aliasBlur: number): DefocusParameters => ({ radius, aliasBlur })

// (radius, alias blur σ) of make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const DEFOCUS: SeverityTable<DefocusParameters> = {
  32: [defocus(0.3, 0.4), defocus(0.4, 0.5), defocus(0.5, 0.6), defocus(1, 0.2), defocus(1.5, 0.1)],
  64: [defocus(0.5, 0.6), defocus(1, 0.1), defocus(1.5, 0.1), defocus(2.5, 0.01), defocus(3, 0.1)],
  224: [defocus(3, 0.1), defocus(4, 0.5), defocus(6, 0.5), defocus(8, 0.5), defocus(10, 0.5)],
}

/**
 * The reference's disk(): the float32 indicator of x² + y² ≤ r² on a grid −8…8 (r ≤ 8) or −r…r,
 * normalised, then anti-aliased by cv2.GaussianBlur (3×3, or 5×5 for the larger grid).
 */
function diskKernel({ radius, aliasBlur }: DefocusParameters): {
  kernel: Float32Array
  size: number
} {
  if (radius > 8 && !Number.isInteger(radius)) {
    throw new RangeError(`defocus_blur's disk needs a whole radius above 8, got ${radius}.`)
  }
  const half = radius <= 8 ? 8 : radius
  const size = 2 * half + 1
  const disk = new Float32Array(size * size)
  let inside = 0
  for (let y = -half; y <= half; y++) {
    for (let x = -half; x <= half; x++) {
      if (x * x + y * y > radius * radius) continue
      disk[(y + half) * size + x + half] = 1
      inside++
    }
  }
  for (let i = 0; i < disk.length; i++) disk[i] /= inside
  const kernel = opencvGaussianBlur32(disk, size, size, radius <= 8 ? 3 : 5, aliasBlur)
  return { kernel, size }
}

/** cv2.filter2D of each channel with an anti-aliased disk (borders REFLECT_101). */
export const defocusBlur: Corruption = {
  name: 'defocus_blur',
  family: 'blur',
  isBenchmark: true,
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, { severity, table }: CorruptionCall): Promise<RgbImage> {
    const { kernel, size } = diskKernel(parameterFor(DEFOCUS, table, severity))
    const x = toFloat(image)
    const data = opencvFilter2D(x.data, x.width, x.height, 3, kernel, size)
    return Promise.resolve(toBytes({ width: x.width, height: x.height, data }))
  },
}
