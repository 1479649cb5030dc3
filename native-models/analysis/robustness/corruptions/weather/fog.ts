import type { Corruption, CorruptionCall } from '../corruption.ts'
import { assertRgb, toBytes, toFloat } from '../image.ts'
import type { RgbImage } from '../image.ts'
import type { CorruptionRandom } from '../random.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

/** (fog strength a, wibble decay) */
type FogParameters = readonly [number, number]

// make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const FOG: SeverityTable<FogParameters> = {
  32: [
    [0.2, 3],
    [0.5, 3],
    [0.75, 2.5],
    [1, 2],
    [1.5, 1.75],
  ],
  64: [
    [0.4, 3],
    [0.7, 3],
    [1, 2.5],
    [1.5, 2],
    [2, 1.75],
  ],
  224: [
    [1.5, 2],
    [2, 2],
    [2.5, 1.7],
    [2.5, 1.5],
    [3, 1.4],
  ],
}

/**
 * The map size: the smallest power of two (≥ 2) that covers the image, which is the reference's
 * 32, 64 and 256 for its 32-, 64- and 224-px images.
 */
export function plasmaSizeFor(width: number, height: number): number {
  let size = 2
  while (size < Math.max(width, height)) size *= 2
  return size
}

/**
 * plasma_fractal(mapsize, wibbledecay): a diamond-square height map, size × size row-major, in
 * [0, 1]. Each new point is the mean of its four neighbours (wrapping around, as np.roll) plus
 * wibble · U(−wibble, wibble); wibble starts at 100 and is divided by the decay at each level.
 */
export function plasmaFractal(size: number, decay: number, random: CorruptionRandom): Float64Array {
  if (!(Number.isInteger(size) && size >= 2 && (size & (size - 1)) === 0)) {
    throw new RangeError(`The plasma map size must be a power of two ≥ 2, got ${size}.`)
  }
  const map = new Float64Array(size * size)
  let step = size
  let wibble = 100
  while (step >= 2) {
    fillSquares(map, size, step, wibble, random)
    fillDiamonds(map, size, step, wibble, random)
    step /= 2
    wibble /= decay
  }
  let min = Infinity
  for (let i = 0; i < map.length; i++) min = Math.min(min, map[i])
  let max = -Infinity
  for (let i = 0; i < map.length; i++) {
    map[i] -= min
    max = Math.max(max, map[i])
  }
  for (let i = 0; i < map.length; i++) map[i] /= max
  return map
}

/** The centre of each square: (corner sums down, then across) / 4 + noise. */
function fillSquares(
  map: Float64Array,
  size: number,
  step: number,
  wibble: number,
  random: CorruptionRandom,
): void {
  const k = size / step
  const half = step / 2
  const corner = (i: number, j: number): number => map[(i % k) * step * size + (j % k) * step]
  const noise = random.uniform(k * k, -wibble, wibble)
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const sum = corner(i, j) + corner(i + 1, j) + (corner(i, j + 1) + corner(i + 1, j + 1))
      map[(i * step + half) * size + j * step + half] = sum / 4 + wibble * noise[i * k + j]
    }
  }
}

/** The diamonds between the centres: first the top edges' midpoints, then the left edges'. */
function fillDiamonds(
  map: Float64Array,
  size: number,
  step: number,
  wibble: number,
  random: CorruptionRandom,
): void {
  const k = size / step
  const half = step / 2
  const wrap = (i: number): number => (i + k) % k
  const centre = (i: number, j: number): number =>
    map[(wrap(i) * step + half) * size + wrap(j) * step + half]
  const corner = (i: number, j: number): number => map[wrap(i) * step * size + wrap(j) * step]

  const top = random.uniform(k * k, -wibble, wibble)
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const sum = centre(i, j) + centre(i - 1, j) + (corner(i, j) + corner(i, j + 1))
      map[i * step * size + j * step + half] = sum / 4 + wibble * top[i * k + j]
    }
  }
  const left = random.uniform(k * k, -wibble, wibble)
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const sum = centre(i, j) + centre(i, j - 1) + (corner(i, j) + corner(i + 1, j))
      map[(i * step + half) * size + j * step] = sum / 4 + wibble * left[i * k + j]
    }
  }
}

/**
 * fog: x + a · plasma[:H, :W] on every channel, then × max(x) / (max(x) + a), where max(x) is
 * taken over all channels before the fog is added.
 */
export const fog: Corruption = {
  name: 'fog',
  family: 'weather',
  isBenchmark: true,
  // The same plasma value is added to the three channels of a pixel.
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, { severity, table, random }: CorruptionCall): Promise<RgbImage> {
    assertRgb(image)
    const [strength, decay] = parameterFor(FOG, table, severity)
    const { width, height } = image
    const x = toFloat(image)
    let maxValue = -Infinity
    for (let i = 0; i < x.data.length; i++) maxValue = Math.max(maxValue, x.data[i])
    const size = plasmaSizeFor(width, height)
    const plasma = plasmaFractal(size, decay, random)
    for (let y = 0; y < height; y++) {
      for (let col = 0; col < width; col++) {
        const added = strength * plasma[y * size + col]
        const p = (y * width + col) * 3
        for (let c = 0; c < 3; c++) {
          x.data[p + c] = ((x.data[p + c] + added) * maxValue) / (maxValue + strength)
        }
      }
    }
    return Promise.resolve(toBytes(x))
  },
}
