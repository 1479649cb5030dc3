import type { Corruption } from '../corruption.ts'

/** The blur corruptions of ImageNet-C, in any order (the registry orders them). */
export const BLUR_CORRUPTIONS: readonly Corruption[] = []
