import type { Corruption } from '../corruption.ts'

/** The digital corruptions of ImageNet-C, in any order (the registry orders them). */
export const DIGITAL_CORRUPTIONS: readonly Corruption[] = []
