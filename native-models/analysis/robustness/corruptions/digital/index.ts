import type { Corruption } from '../corruption.ts'
import { contrast } from './contrast.ts'
import { elasticTransform } from './elastic-transform.ts'
import { brightness, saturate } from './hsv-shift.ts'
import { jpegCompression } from './jpeg-compression.ts'
import { pixelate } from './pixelate.ts'

/**
 * The digital corruptions of ImageNet-C, in any order (the registry orders them), with brightness,
 * which the protocol groups under weather but which shares saturate's HSV code.
 */
export const DIGITAL_CORRUPTIONS: readonly Corruption[] = [
  brightness,
  contrast,
  elasticTransform,
  pixelate,
  jpegCompression,
  saturate,
]
