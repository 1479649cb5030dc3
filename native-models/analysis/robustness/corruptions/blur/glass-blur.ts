import type { Corruption, CorruptionCall } from '../corruption.ts'
import { gaussianFilter } from '../filters/gaussian.ts'
import { toBytes, toFloat } from '../image.ts'
import type { RgbImage } from '../image.ts'
import type { CorruptionRandom } from '../random.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

interface GlassParameters {
  sigma: number
  maxDelta: number
  iterations: number
}

const glass = (sigma: number, maxDelta: number, iterations: number): GlassParameters => ({
  sigma,
  maxDelta,
  iterations,
})

// (σ, δ, iterations) of make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const GLASS: SeverityTable<GlassParameters> = {
  32: [glass(0.05, 1, 1), glass(0.25, 1, 1), glass(0.4, 1, 1), glass(0.25, 1, 2), glass(0.4, 1, 2)],
  64: [glass(0.1, 1, 1), glass(0.5, 1, 1), glass(0.6, 1, 2), glass(0.7, 2, 1), glass(0.9, 2, 2)],
  224: [glass(0.7, 1, 2), glass(0.9, 2, 1), glass(1, 2, 3), glass(1.1, 3, 2), glass(1.5, 4, 2)],
}

/**
 * One pass of the local shuffle, in the reference's order: rows h = H−δ … δ+1 and within each
 * row columns w = W−δ … δ+1 (both descending), pixel (h, w) taking the value of
 * (h+dy, w+dx), dx, dy ∈ [−δ, δ). The reference writes a swap of NumPy views, which copies:
 * the source pixel keeps its value.
 */
function shufflePass(
  pixels: Uint8Array,
  width: number,
  height: number,
  maxDelta: number,
  random: CorruptionRandom,
): void {
  const rows = Math.max(0, height - 2 * maxDelta)
  const cols = Math.max(0, width - 2 * maxDelta)
  // One batch holds every pixel's (dx, dy) in visiting order: the same values, in the same
  // order, as the reference's per-pixel randint(−δ, δ, size=2).
  const offsets = random.integers(2 * rows * cols, -maxDelta, maxDelta)
  let next = 0
  for (let h = height - maxDelta; h > maxDelta; h--) {
    for (let w = width - maxDelta; w > maxDelta; w--) {
      const dx = offsets[next++]
      const dy = offsets[next++]
      const target = (h * width + w) * 3
      const source = ((h + dy) * width + (w + dx)) * 3
      pixels[target] = pixels[source]
      pixels[target + 1] = pixels[source + 1]
      pixels[target + 2] = pixels[source + 2]
    }
  }
}

/** skimage gaussian(σ) → uint8, local pixel shuffle, gaussian(σ) again. */
export const glassBlur: Corruption = {
  name: 'glass_blur',
  family: 'blur',
  isBenchmark: true,
  addsColour: false,
  deviation: null,
  apply(image: RgbImage, { severity, table, random }: CorruptionCall): Promise<RgbImage> {
    const { sigma, maxDelta, iterations } = parameterFor(GLASS, table, severity)
    const { width, height } = image
    // np.uint8(gaussian(x) · 255): truncated, and not clipped (a blur of [0, 1] stays in it).
    const pixels = toBytes(gaussianFilter(toFloat(image), sigma)).data
    for (let i = 0; i < iterations; i++) shufflePass(pixels, width, height, maxDelta, random)
    const blurred = gaussianFilter(toFloat({ width, height, data: pixels }), sigma)
    return Promise.resolve(toBytes(blurred))
  },
}
