import type { Corruption } from '../corruption.ts'
import { fog } from './fog.ts'
import { frost } from './frost.ts'
import { snow } from './snow.ts'
import { spatter } from './spatter.ts'

/** The weather corruptions of ImageNet-C, in any order (the registry orders them). */
export const WEATHER_CORRUPTIONS: readonly Corruption[] = [snow, frost, fog, spatter]
