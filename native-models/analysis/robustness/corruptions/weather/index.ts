import type { Corruption } from '../corruption.ts'

/** The weather corruptions of ImageNet-C, in any order (the registry orders them). */
export const WEATHER_CORRUPTIONS: readonly Corruption[] = []
