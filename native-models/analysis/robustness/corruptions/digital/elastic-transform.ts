import type { Corruption, CorruptionCall } from '../corruption.ts'
import { getAffineTransform, warpAffineLinearReflect101 } from '../filters/cv-affine-warp.ts'
import type { Float32Image, Triangle } from '../filters/cv-affine-warp.ts'
import { gaussianFilter } from '../filters/gaussian.ts'
import { mapCoordinatesLinearReflect } from '../filters/ndimage-map-coordinates.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable, SizeTable } from '../size-table.ts'

/**
 * (α, σ, a) as multiples of the table's size constant: make_cifar_c.py (IMSIZE = 32),
 * make_tinyimagenet_c.py (IMSIZE = 64) and make_imagenet_c.py, whose constants are literally
 * 244·k for 224-px images ("244 should have been 224"). The 32/64 tables differ from the 224 one.
 */
const ELASTIC: SeverityTable<readonly [number, number, number]> = {
  32: [
    [0, 0, 0.08],
    [0.05, 0.2, 0.07],
    [0.08, 0.06, 0.06],
    [0.1, 0.04, 0.05],
    [0.1, 0.03, 0.03],
  ],
  64: [
    [0, 0, 0.08],
    [0.05, 0.3, 0.06],
    [0.1, 0.08, 0.06],
    [0.1, 0.03, 0.03],
    [0.16, 0.03, 0.02],
  ],
  224: [
    [2, 0.7, 0.1],
    [2, 0.08, 0.2],
    [0.05, 0.01, 0.02],
    [0.07, 0.01, 0.02],
    [0.12, 0.01, 0.02],
  ],
}
const SIZE_CONSTANT: Record<SizeTable, number> = { 32: 32, 64: 64, 224: 244 }

/**
 * α (displacement scale), σ (its smoothing) and a (the affine jitter), in pixels. The constant
 * scales with the image's shorter side, so an image of the table's size gets the reference's
 * exact numbers (IMSIZE·k, 244·k).
 */
function elasticParameters(call: CorruptionCall, side: number): [number, number, number] {
  const base = (SIZE_CONSTANT[call.table] * side) / call.table
  const [alpha, sigma, jitter] = parameterFor(ELASTIC, call.table, call.severity)
  return [base * alpha, base * sigma, base * jitter]
}

/** gaussian(U(−1, 1), σ, mode='reflect', truncate=3) · α as float32, one value per pixel. */
function displacement(
  call: CorruptionCall,
  width: number,
  height: number,
  alpha: number,
  sigma: number,
): Float32Array {
  const noise = call.random.uniform(width * height, -1, 1)
  const smooth = gaussianFilter({ width, height, data: noise }, sigma, 'reflect', 3).data
  const out = new Float32Array(smooth.length)
  for (let i = 0; i < out.length; i++) out[i] = smooth[i] * alpha
  return out
}

/**
 * A random affine warp (cv2.getAffineTransform on three points moved by U(−a, a), warpAffine
 * with INTER_LINEAR and BORDER_REFLECT_101) on float32 x / 255, then a smooth random displacement
 * sampled with scipy map_coordinates(order=1, mode='reflect'); clip, × 255 in float32, truncate.
 */
export const elasticTransform: Corruption = {
  name: 'elastic_transform',
  family: 'digital',
  isBenchmark: true,
  // The same geometry for every channel: a gray image stays gray.
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, call: CorruptionCall): Promise<RgbImage> {
    const { width, height } = image
    const side = Math.min(width, height)
    if (side < 3) {
      throw new RangeError(`elastic_transform needs both sides ≥ 3 px, got ${width}×${height}.`)
    }
    const [alpha, sigma, jitter] = elasticParameters(call, side)
    const input: Float32Image = {
      width,
      height,
      channels: 3,
      data: new Float32Array(image.data.length),
    }
    for (let i = 0; i < image.data.length; i++) input.data[i] = image.data[i] / 255
    // The reference's centre is (H // 2, W // 2) and is used as (x, y): swapped for a non-square
    // image, kept so the same draws give the same warp.
    const cx = Math.floor(height / 2)
    const cy = Math.floor(width / 2)
    const s = Math.floor(side / 3)
    const from: Triangle = [cx + s, cy + s, cx + s, cy - s, cx - s, cy - s]
    const moves = call.random.uniform(6, -jitter, jitter)
    // pts1 + uniform(...).astype(np.float32): a float32 sum.
    const f = Math.fround
    const to: Triangle = [
      f(from[0] + f(moves[0])),
      f(from[1] + f(moves[1])),
      f(from[2] + f(moves[2])),
      f(from[3] + f(moves[3])),
      f(from[4] + f(moves[4])),
      f(from[5] + f(moves[5])),
    ]
    const warped = warpAffineLinearReflect101(input, getAffineTransform(from, to))
    const dx = displacement(call, width, height, alpha, sigma)
    const dy = displacement(call, width, height, alpha, sigma)
    const sampled = mapCoordinatesLinearReflect(warped, dy, dx).data
    const data = new Uint8Array(sampled.length)
    for (let i = 0; i < sampled.length; i++) {
      const v = sampled[i]
      data[i] = Math.trunc(Math.fround((v < 0 ? 0 : v > 1 ? 1 : v) * 255))
    }
    return Promise.resolve({ width, height, data })
  },
}
