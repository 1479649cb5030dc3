import type { Corruption } from '../corruption.ts'
import { gaussianNoise, impulseNoise, shotNoise, speckleNoise } from './noise.ts'

/** The noise corruptions of ImageNet-C, in any order (the registry orders them). */
export const NOISE_CORRUPTIONS: readonly Corruption[] = [
  gaussianNoise,
  shotNoise,
  impulseNoise,
  speckleNoise,
]
