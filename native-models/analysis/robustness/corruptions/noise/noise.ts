import type { Corruption, CorruptionCall } from '../corruption.ts'
import { toBytes, toFloat } from '../image.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

// Severity tables of make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const GAUSSIAN: SeverityTable<number> = {
  32: [0.04, 0.06, 0.08, 0.09, 0.1],
  64: [0.04, 0.08, 0.12, 0.15, 0.18],
  224: [0.08, 0.12, 0.18, 0.26, 0.38],
}
const SHOT: SeverityTable<number> = {
  32: [500, 250, 100, 75, 50],
  64: [250, 100, 50, 30, 15],
  224: [60, 25, 12, 5, 3],
}
const IMPULSE: SeverityTable<number> = {
  32: [0.01, 0.02, 0.03, 0.05, 0.07],
  64: [0.01, 0.02, 0.05, 0.08, 0.14],
  224: [0.03, 0.06, 0.09, 0.17, 0.27],
}
const SPECKLE: SeverityTable<number> = {
  32: [0.06, 0.1, 0.12, 0.16, 0.2],
  64: [0.15, 0.2, 0.25, 0.3, 0.35],
  224: [0.15, 0.2, 0.35, 0.45, 0.6],
}

/** A noise corruption: per-pixel arithmetic on x in [0, 1] and one set of draws. */
function noise(
  name: Corruption['name'],
  isBenchmark: boolean,
  corrupt: (x: Float64Array, call: CorruptionCall) => void,
): Corruption {
  return {
    name,
    family: 'noise',
    isBenchmark,
    // Independent draws per channel: a gray image gets coloured noise.
    addsColour: true,
    deviation: null,
    apply(image: RgbImage, call: CorruptionCall): Promise<RgbImage> {
      const x = toFloat(image)
      corrupt(x.data, call)
      return Promise.resolve(toBytes(x))
    },
  }
}

/** x + N(0, c²) */
export const gaussianNoise = noise('gaussian_noise', true, (x, { severity, table, random }) => {
  const noiseValues = random.normal(x.length, 0, parameterFor(GAUSSIAN, table, severity))
  for (let i = 0; i < x.length; i++) x[i] += noiseValues[i]
})

/** Poisson(x·c) / c */
export const shotNoise = noise('shot_noise', true, (x, { severity, table, random }) => {
  const c = parameterFor(SHOT, table, severity)
  const lambdas = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) lambdas[i] = x[i] * c
  const counts = random.poisson(lambdas)
  for (let i = 0; i < x.length; i++) x[i] = counts[i] / c
})

/**
 * skimage random_noise(mode='s&p', amount=c): a pixel value flips with probability c, to 1 or 0
 * with equal odds (each channel value on its own).
 */
export const impulseNoise = noise('impulse_noise', true, (x, { severity, table, random }) => {
  const flipped = random.bernoulli(x.length, parameterFor(IMPULSE, table, severity))
  const salted = random.bernoulli(x.length, 0.5)
  for (let i = 0; i < x.length; i++) if (flipped[i]) x[i] = salted[i] ? 1 : 0
})

/** x + x·N(0, c²) */
export const speckleNoise = noise('speckle_noise', false, (x, { severity, table, random }) => {
  const noiseValues = random.normal(x.length, 0, parameterFor(SPECKLE, table, severity))
  for (let i = 0; i < x.length; i++) x[i] += x[i] * noiseValues[i]
})
