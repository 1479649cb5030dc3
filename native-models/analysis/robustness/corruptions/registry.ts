import { BLUR_CORRUPTIONS } from './blur/index.ts'
import { CORRUPTION_NAMES } from './corruption.ts'
import type { Corruption, CorruptionName } from './corruption.ts'
import { DIGITAL_CORRUPTIONS } from './digital/index.ts'
import { NOISE_CORRUPTIONS } from './noise/index.ts'
import { WEATHER_CORRUPTIONS } from './weather/index.ts'

/** Every corruption, in the protocol's order (the 15 of mCE, then the 4 extra ones). */
export const CORRUPTIONS: readonly Corruption[] = [
  ...NOISE_CORRUPTIONS,
  ...BLUR_CORRUPTIONS,
  ...WEATHER_CORRUPTIONS,
  ...DIGITAL_CORRUPTIONS,
].sort((a, b) => CORRUPTION_NAMES.indexOf(a.name) - CORRUPTION_NAMES.indexOf(b.name))

export function corruptionNamed(name: CorruptionName): Corruption {
  const corruption = CORRUPTIONS.find((c) => c.name === name)
  if (!corruption) {
    const known = CORRUPTIONS.map((c) => c.name).join(', ')
    throw new RangeError(`There is no corruption '${name}' (there are: ${known}).`)
  }
  return corruption
}
