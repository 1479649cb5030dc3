import type { Corruption } from '../corruption.ts'
import { defocusBlur } from './defocus-blur.ts'
import { gaussianBlur } from './gaussian-blur.ts'
import { glassBlur } from './glass-blur.ts'
import { motionBlur } from './motion-blur.ts'
import { zoomBlur } from './zoom-blur.ts'

/** The blur corruptions of ImageNet-C, in any order (the registry orders them). */
export const BLUR_CORRUPTIONS: readonly Corruption[] = [
  defocusBlur,
  glassBlur,
  motionBlur,
  zoomBlur,
  gaussianBlur,
]
