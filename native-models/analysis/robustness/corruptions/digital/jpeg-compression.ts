import type { Corruption, CorruptionCall } from '../corruption.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

// Severity tables of make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const QUALITY: SeverityTable<number> = {
  32: [80, 65, 58, 50, 40],
  64: [65, 58, 50, 40, 25],
  224: [25, 18, 15, 10, 7],
}

/** PIL `save(format='JPEG', quality=q)` and decode, through the host's codec (`call.jpeg`). */
export const jpegCompression: Corruption = {
  name: 'jpeg_compression',
  family: 'digital',
  isBenchmark: true,
  // Equal R, G, B give Cb = Cr = 128 exactly in libjpeg's fixed point: a gray image stays gray.
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, { severity, table, jpeg }: CorruptionCall): Promise<RgbImage> {
    return jpeg(image, parameterFor(QUALITY, table, severity))
  },
}
