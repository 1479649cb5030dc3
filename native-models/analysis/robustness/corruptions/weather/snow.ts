import type { Corruption, CorruptionCall } from '../corruption.ts'
import { clippedZoom } from '../filters/clipped-zoom.ts'
import { imageMagickMotionBlur } from '../filters/imagemagick-motion-blur.ts'
import { assertRgb } from '../image.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

interface SnowParameters {
  mean: number
  spread: number
  zoom: number
  threshold: number
  blurRadius: number
  blurSigma: number
  /** Weight of the image against its whitened version. */
  blend: number
}

const snowOf = (
  mean: number,
  spread: number,
  zoom: number,
  threshold: number,
  blurRadius: number,
  blurSigma: number,
  blend: number,
): SnowParameters => ({ mean, spread, zoom, threshold, blurRadius, blurSigma, blend })

// make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const SNOW: SeverityTable<SnowParameters> = {
  32: [
    snowOf(0.1, 0.2, 1, 0.6, 8, 3, 0.95),
    snowOf(0.1, 0.2, 1, 0.5, 10, 4, 0.9),
    snowOf(0.15, 0.3, 1.75, 0.55, 10, 4, 0.9),
    snowOf(0.25, 0.3, 2.25, 0.6, 12, 6, 0.85),
    snowOf(0.3, 0.3, 1.25, 0.65, 14, 12, 0.8),
  ],
  64: [
    snowOf(0.1, 0.2, 1, 0.6, 8, 3, 0.8),
    snowOf(0.1, 0.2, 1, 0.5, 10, 4, 0.8),
    snowOf(0.15, 0.3, 1.75, 0.55, 10, 4, 0.7),
    snowOf(0.25, 0.3, 2.25, 0.6, 12, 6, 0.65),
    snowOf(0.3, 0.3, 1.25, 0.65, 14, 12, 0.6),
  ],
  224: [
    snowOf(0.1, 0.3, 3, 0.5, 10, 4, 0.8),
    snowOf(0.2, 0.3, 2, 0.5, 12, 4, 0.7),
    snowOf(0.55, 0.3, 4, 0.9, 12, 8, 0.7),
    snowOf(0.55, 0.3, 4.5, 0.85, 12, 8, 0.65),
    snowOf(0.55, 0.3, 2.5, 0.85, 12, 12, 0.55),
  ],
}

const f32 = Math.fround
/** OpenCV's float RGB → gray weights (R2YF, G2YF, B2YF). */
const GRAY_R = f32(0.299)
const GRAY_G = f32(0.587)
const GRAY_B = f32(0.114)

/**
 * cv2.cvtColor(x, COLOR_RGB2GRAY) on float32, as its SIMD loop computes it:
 * fma(B, 0.114, fma(G, 0.587, R · 0.299)) in float32.
 */
function grayFloat32(r: number, g: number, b: number): number {
  return f32(b * GRAY_B + f32(g * GRAY_G + f32(r * GRAY_R)))
}

/**
 * The snow layer as the reference hands it to ImageMagick: N(μ, σ) per pixel, zoomed in
 * (clipped_zoom), 0 below the threshold, clipped to [0, 1] and stored as 8-bit gray (truncated).
 */
function snowFlakes(
  width: number,
  height: number,
  p: SnowParameters,
  random: CorruptionCall['random'],
): Uint8Array {
  const noise = random.normal(width * height, p.mean, p.spread)
  const zoomed = new Float64Array(noise.length)
  clippedZoom({ width, height, channels: 1, data: noise }, p.zoom, zoomed)
  const bytes = new Uint8Array(zoomed.length)
  for (let i = 0; i < zoomed.length; i++) {
    const v = zoomed[i] < p.threshold ? 0 : zoomed[i]
    bytes[i] = Math.trunc((v < 0 ? 0 : v > 1 ? 1 : v) * 255)
  }
  return bytes
}

/**
 * snow: flakes (a thresholded, zoomed noise layer) motion-blurred by ImageMagick at an angle
 * U(−135°, −45°); the image is whitened towards max(x, 1.5·gray + 0.5), then the flakes are added
 * twice, once turned by 180°.
 */
export const snow: Corruption = {
  name: 'snow',
  family: 'weather',
  isBenchmark: true,
  // The gray value and the flakes are the same for the three channels of a pixel.
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, { severity, table, random }: CorruptionCall): Promise<RgbImage> {
    assertRgb(image)
    const p = parameterFor(SNOW, table, severity)
    const { width, height } = image
    const flakes = snowFlakes(width, height, p, random)
    const angleDegrees = random.uniform(1, -135, -45)[0]
    const blurred = imageMagickMotionBlur(flakes, width, height, 1, {
      radius: p.blurRadius,
      sigma: p.blurSigma,
      angleDegrees,
    })

    const blend = f32(p.blend)
    const whiten = f32(1 - p.blend)
    const out = new Uint8Array(image.data.length)
    const pixels = width * height
    for (let i = 0; i < pixels; i++) {
      const p3 = i * 3
      const r = f32(image.data[p3] / 255)
      const g = f32(image.data[p3 + 1] / 255)
      const b = f32(image.data[p3 + 2] / 255)
      const bright = f32(f32(grayFloat32(r, g, b) * 1.5) + 0.5)
      // The layer and its 180° turn are float64 (uint8 / 255.), added after the float32 image.
      const flake = blurred[i] / 255
      const turned = blurred[pixels - 1 - i] / 255
      for (let c = 0; c < 3; c++) {
        const x = c === 0 ? r : c === 1 ? g : b
        const whitened = f32(f32(blend * x) + f32(whiten * Math.max(x, bright)))
        const v = whitened + flake + turned
        out[p3 + c] = Math.trunc((v < 0 ? 0 : v > 1 ? 1 : v) * 255)
      }
    }
    return Promise.resolve({ width, height, data: out })
  },
}
