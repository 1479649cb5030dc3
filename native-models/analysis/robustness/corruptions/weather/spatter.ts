import type { Corruption, CorruptionCall } from '../corruption.ts'
import { boxBlurFloat32, boxBlurUint8, filter2DUint8 } from '../filters/opencv-box-filter.ts'
import { canny } from '../filters/opencv-canny.ts'
import { distanceTransformL2Mask5 } from '../filters/opencv-distance-transform.ts'
import { equalizeHist } from '../filters/opencv-equalize-hist.ts'
import { correlateAxis, gaussianFilter, gaussianWeights } from '../filters/gaussian.ts'
import { assertRgb } from '../image.ts'
import type { FloatImage, RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

/** (μ, σ, blur σ, threshold, k, mode 0 water / 1 mud) */
type SpatterParameters = readonly [number, number, number, number, number, 0 | 1]

// make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const SPATTER: SeverityTable<SpatterParameters> = {
  32: [
    [0.62, 0.1, 0.7, 0.7, 0.5, 0],
    [0.65, 0.1, 0.8, 0.7, 0.5, 0],
    [0.65, 0.3, 1, 0.69, 0.5, 0],
    [0.65, 0.1, 0.7, 0.69, 0.6, 1],
    [0.65, 0.1, 0.5, 0.68, 0.6, 1],
  ],
  64: [
    [0.62, 0.1, 0.7, 0.7, 0.6, 0],
    [0.65, 0.1, 0.8, 0.7, 0.6, 0],
    [0.65, 0.3, 1, 0.69, 0.6, 0],
    [0.65, 0.1, 0.7, 0.68, 0.6, 1],
    [0.65, 0.1, 0.5, 0.67, 0.6, 1],
  ],
  224: [
    [0.65, 0.3, 4, 0.69, 0.6, 0],
    [0.65, 0.3, 3, 0.68, 0.6, 0],
    [0.65, 0.3, 2, 0.68, 0.5, 0],
    [0.65, 0.3, 1, 0.65, 1.5, 1],
    [0.67, 0.4, 1, 0.65, 1.5, 1],
  ],
}

const f32 = Math.fround
/** Water (pale turquoise) and mud (brown), RGB / 255 as float32. */
const WATER = [f32(175 / 255), f32(238 / 255), f32(238 / 255)]
const MUD = [f32(63 / 255), f32(42 / 255), f32(20 / 255)]
const EMBOSS = [
  [-2, -1, 0],
  [-1, 1, 1],
  [0, 1, 2],
] as const

/** A C cast of a double ≥ 0 to uint8, as NumPy's astype(np.uint8): truncate, keep the low byte. */
function castToUint8(v: number): number {
  return Math.trunc(v) & 255
}

/**
 * Water: the liquid mask's edges (Canny) shade it through a distance transform, histogram
 * equalisation and an emboss filter; m = liquid · shading / max · k, then x + m · colour.
 */
function waterShading(
  liquid: Float64Array,
  width: number,
  height: number,
  k: number,
): Float32Array {
  const level = new Uint8Array(liquid.length)
  for (let i = 0; i < liquid.length; i++) level[i] = castToUint8(liquid[i] * 255)
  const edges = canny(level, width, height, 50, 150)
  for (let i = 0; i < edges.length; i++) edges[i] = 255 - edges[i]
  const distance = distanceTransformL2Mask5(edges, width, height)
  for (let i = 0; i < distance.length; i++) if (distance[i] > 20) distance[i] = 20
  const smoothed = boxBlurFloat32(distance, width, height)
  const shade = new Uint8Array(smoothed.length)
  for (let i = 0; i < shade.length; i++) shade[i] = Math.trunc(smoothed[i])
  const embossed = filter2DUint8(equalizeHist(shade), width, height, EMBOSS)
  const blurred = boxBlurUint8(embossed, width, height)

  const m = new Float32Array(liquid.length)
  let max = -Infinity
  for (let i = 0; i < m.length; i++) {
    m[i] = level[i] * blurred[i]
    max = Math.max(max, m[i])
  }
  // With no shaded liquid max is 0 and m is NaN, as in the reference (the image becomes black).
  const scale = f32(k)
  for (let i = 0; i < m.length; i++) m[i] = f32(f32(m[i] / max) * scale)
  return m
}

/** skimage.filters.gaussian on a float32 image: each axis pass is stored as float32. */
function gaussianFloat32(image: FloatImage, sigma: number): FloatImage {
  const weights = gaussianWeights(sigma, 4)
  const round = (pass: FloatImage): FloatImage => {
    for (let i = 0; i < pass.data.length; i++) pass.data[i] = f32(pass.data[i])
    return pass
  }
  return round(
    correlateAxis(round(correlateAxis(image, weights, 0, 'nearest')), weights, 1, 'nearest'),
  )
}

/** Mud: m = gaussian([liquid > threshold], σ = k), 0 where < 0.8; x · (1 − m) + colour · m. */
function mudCover(
  liquid: Float64Array,
  width: number,
  height: number,
  threshold: number,
  k: number,
): Float64Array {
  const mask = new Float64Array(liquid.length)
  for (let i = 0; i < mask.length; i++) mask[i] = liquid[i] > threshold ? 1 : 0
  const m = gaussianFloat32({ width, height, data: mask }, k).data
  for (let i = 0; i < m.length; i++) if (m[i] < 0.8) m[i] = 0
  return m
}

/**
 * spatter: a liquid layer N(μ, σ) per pixel, Gaussian-blurred, 0 below the threshold, then
 * water drops (severities 1–3) or mud (4–5). The reference computes in float32; so does this.
 */
export const spatter: Corruption = {
  name: 'spatter',
  family: 'weather',
  isBenchmark: false,
  // Turquoise water and brown mud colour a gray image.
  addsColour: true,
  deviation: null,
  apply(image: RgbImage, { severity, table, random }: CorruptionCall): Promise<RgbImage> {
    assertRgb(image)
    const [mean, spread, blurSigma, threshold, k, mode] = parameterFor(SPATTER, table, severity)
    const { width, height } = image
    const noise = random.normal(width * height, mean, spread)
    const liquid = gaussianFilter({ width, height, data: noise }, blurSigma).data
    for (let i = 0; i < liquid.length; i++) if (liquid[i] < threshold) liquid[i] = 0

    const out = new Uint8Array(image.data.length)
    const store = (i: number, v: number): void => {
      const clipped = v < 0 ? 0 : v > 1 ? 1 : v
      out[i] = Math.trunc(f32(clipped * 255))
    }
    if (mode === 0) {
      const m = waterShading(liquid, width, height, k)
      for (let p = 0; p < m.length; p++) {
        for (let c = 0; c < 3; c++) {
          const x = f32(image.data[p * 3 + c] / 255)
          store(p * 3 + c, f32(x + f32(m[p] * WATER[c])))
        }
      }
    } else {
      const m = mudCover(liquid, width, height, threshold, k)
      for (let p = 0; p < m.length; p++) {
        const keep = f32(1 - m[p])
        for (let c = 0; c < 3; c++) {
          const x = f32(f32(image.data[p * 3 + c] / 255) * keep)
          store(p * 3 + c, f32(x + f32(MUD[c] * m[p])))
        }
      }
    }
    return Promise.resolve({ width, height, data: out })
  },
}
