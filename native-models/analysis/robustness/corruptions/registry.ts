import type { Corruption, CorruptionName } from './corruption.ts'
import { gaussianNoise, impulseNoise, shotNoise, speckleNoise } from './noise/noise.ts'

/** Every corruption, one line each, in the protocol's order. */
export const CORRUPTIONS: readonly Corruption[] = [
  gaussianNoise,
  shotNoise,
  impulseNoise,
  speckleNoise,
]

export function corruptionNamed(name: CorruptionName): Corruption {
  const corruption = CORRUPTIONS.find((c) => c.name === name)
  if (!corruption) {
    const known = CORRUPTIONS.map((c) => c.name).join(', ')
    throw new RangeError(`There is no corruption '${name}' (there are: ${known}).`)
  }
  return corruption
}
