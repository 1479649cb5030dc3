import type { Corruption, CorruptionCall } from '../corruption.ts'
import { imageMagickMotionBlur } from '../filters/imagemagick-motion-blur.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

interface MotionParameters {
  radius: number
  sigma: number
}

const motion = (radius: number, sigma: number): MotionParameters => ({ radius, sigma })

// (radius, σ) of make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const MOTION: SeverityTable<MotionParameters> = {
  32: [motion(6, 1), motion(6, 1.5), motion(6, 2), motion(8, 2), motion(9, 2.5)],
  64: [motion(10, 1), motion(10, 1.5), motion(10, 2), motion(10, 2.5), motion(12, 3)],
  224: [motion(10, 3), motion(15, 5), motion(15, 8), motion(15, 12), motion(20, 15)],
}

/** ImageMagick's MotionBlurImage(radius, σ, angle ~ U(−45°, 45°)) on the 8-bit image. */
export const motionBlur: Corruption = {
  name: 'motion_blur',
  family: 'blur',
  isBenchmark: true,
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, { severity, table, random }: CorruptionCall): Promise<RgbImage> {
    const { radius, sigma } = parameterFor(MOTION, table, severity)
    const angleDegrees = random.uniform(1, -45, 45)[0]
    const { width, height, data } = image
    const blurred = imageMagickMotionBlur(data, width, height, 3, { radius, sigma, angleDegrees })
    return Promise.resolve({ width, height, data: blurred })
  },
}
