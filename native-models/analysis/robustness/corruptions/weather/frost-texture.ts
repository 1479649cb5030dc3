import { createRandomStream } from '../../../uncertainty/xoshiro128.ts'
import type { RandomStream } from '../../../uncertainty/xoshiro128.ts'

/**
 * Procedural stand-ins for the five frost photographs ImageNet-C reads (frost1.png … frost5.jpg):
 * fern-like ice crystals over a mottled sheet of ice, each from a fixed seed, in the size, tone
 * and contrast range of the photograph it replaces. They are generated here, not copied.
 */
interface TextureStyle {
  /** The photograph's size (height, width); larger images get a larger texture. */
  height: number
  width: number
  seed: number
  /** Ice colour (RGB, 0–255) and how much the mottling varies it (fraction). */
  base: readonly [number, number, number]
  mottling: number
  /** Crystal colour (RGB) and opacity scale. */
  crystal: readonly [number, number, number]
  opacity: number
  /** Crystal stems per 10 000 px, and their length range in px. */
  density: number
  length: readonly [number, number]
  /** Side branches: spacing along a stem (px) and length relative to the remaining stem. */
  branchSpacing: number
  branchScale: number
  /** How much a stem's direction wanders per px (radians). */
  wander: number
}

const STYLES: readonly TextureStyle[] = [
  // Teal, crumpled ice with many short crystals (in place of frost1.png).
  {
    height: 600,
    width: 900,
    seed: 0x51f0,
    base: [62, 140, 160],
    mottling: 0.22,
    crystal: [190, 225, 232],
    opacity: 0.5,
    density: 40,
    length: [8, 26],
    branchSpacing: 4,
    branchScale: 0.45,
    wander: 0.12,
  },
  // White needles of ice (frost2.png; frost3.png is the same photograph in the reference).
  {
    height: 315,
    width: 560,
    seed: 0x51f1,
    base: [188, 194, 204],
    mottling: 0.08,
    crystal: [246, 248, 252],
    opacity: 0.9,
    density: 24,
    length: [20, 70],
    branchSpacing: 7,
    branchScale: 0.35,
    wander: 0.03,
  },
  {
    height: 315,
    width: 560,
    seed: 0x51f2,
    base: [186, 192, 203],
    mottling: 0.1,
    crystal: [244, 247, 252],
    opacity: 0.9,
    density: 20,
    length: [25, 80],
    branchSpacing: 8,
    branchScale: 0.3,
    wander: 0.04,
  },
  // Gray-blue ice with sparse feathers (frost4.jpg).
  {
    height: 350,
    width: 527,
    seed: 0x51f3,
    base: [118, 134, 150],
    mottling: 0.15,
    crystal: [212, 220, 230],
    opacity: 0.75,
    density: 22,
    length: [15, 55],
    branchSpacing: 5,
    branchScale: 0.4,
    wander: 0.06,
  },
  // Dark glass under dense, bright fern frost (frost5.jpg).
  {
    height: 495,
    width: 660,
    seed: 0x51f4,
    base: [66, 77, 90],
    mottling: 0.25,
    crystal: [222, 229, 236],
    opacity: 0.85,
    density: 28,
    length: [20, 60],
    branchSpacing: 4,
    branchScale: 0.5,
    wander: 0.05,
  },
]

/** How many textures there are: the reference draws its file with randint(5). */
export const FROST_TEXTURE_COUNT = STYLES.length

function unit(stream: RandomStream): number {
  return stream.nextUint32() / 4294967296
}

/** Smooth value noise: random values on a lattice of `cell` px, blended with smoothstep. */
function addValueNoise(
  out: Float32Array,
  width: number,
  height: number,
  cell: number,
  amplitude: number,
  stream: RandomStream,
): void {
  const columns = Math.ceil(width / cell) + 2
  const rows = Math.ceil(height / cell) + 2
  const lattice = new Float32Array(columns * rows)
  for (let i = 0; i < lattice.length; i++) lattice[i] = unit(stream) * 2 - 1
  const smooth = (t: number): number => t * t * (3 - 2 * t)
  for (let y = 0; y < height; y++) {
    const gy = y / cell
    const iy = Math.floor(gy)
    const ty = smooth(gy - iy)
    for (let x = 0; x < width; x++) {
      const gx = x / cell
      const ix = Math.floor(gx)
      const tx = smooth(gx - ix)
      const p = iy * columns + ix
      const top = lattice[p] + (lattice[p + 1] - lattice[p]) * tx
      const bottom = lattice[p + columns] + (lattice[p + columns + 1] - lattice[p + columns]) * tx
      out[y * width + x] += amplitude * (top + (bottom - top) * ty)
    }
  }
}

/** Adds `weight` at a sub-pixel point, spread bilinearly over its four pixels. */
function splat(
  ink: Float32Array,
  width: number,
  height: number,
  x: number,
  y: number,
  weight: number,
): void {
  const x0 = Math.floor(x)
  const y0 = Math.floor(y)
  const fx = x - x0
  const fy = y - y0
  if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) return
  const p = y0 * width + x0
  ink[p] += weight * (1 - fx) * (1 - fy)
  ink[p + 1] += weight * fx * (1 - fy)
  ink[p + width] += weight * (1 - fx) * fy
  ink[p + width + 1] += weight * fx * fy
}

/**
 * Draws one crystal arm from (x, y) at `angle`, `length` px long, thinning towards its tip,
 * with side arms at about ±60° that shrink towards the tip, down to `depth` levels.
 */
function drawArm(
  ink: Float32Array,
  width: number,
  height: number,
  style: TextureStyle,
  stream: RandomStream,
  start: readonly [number, number],
  angle: number,
  length: number,
  depth: number,
): void {
  let [x, y] = start
  let direction = angle
  const strength = (0.6 + 0.4 * depth) * (0.5 + unit(stream))
  let nextBranch = style.branchSpacing * (0.5 + unit(stream))
  for (let travelled = 0; travelled < length; travelled += 0.5) {
    direction += (unit(stream) - 0.5) * style.wander
    x += 0.5 * Math.cos(direction)
    y += 0.5 * Math.sin(direction)
    splat(ink, width, height, x, y, strength * (1 - (0.7 * travelled) / length))
    if (depth > 0 && travelled >= nextBranch) {
      nextBranch += style.branchSpacing * (0.6 + 0.8 * unit(stream))
      const remaining = length - travelled
      const side = unit(stream) < 0.5 ? -1 : 1
      const spread = (Math.PI / 3) * (0.8 + 0.4 * unit(stream))
      const armLength = remaining * style.branchScale * (0.6 + 0.8 * unit(stream))
      if (armLength >= 2) {
        const at: [number, number] = [x, y]
        drawArm(
          ink,
          width,
          height,
          style,
          stream,
          at,
          direction + side * spread,
          armLength,
          depth - 1,
        )
      }
    }
  }
}

function styleOf(index: number): TextureStyle {
  const style = STYLES[index]
  if (!style) {
    throw new RangeError(`There are ${STYLES.length} frost textures (0 … 4), got ${index}.`)
  }
  return style
}

/** The size texture `index` has when it must be at least `minHeight` × `minWidth`. */
export function frostTextureSize(
  index: number,
  minHeight: number,
  minWidth: number,
): { height: number; width: number } {
  const style = styleOf(index)
  return { height: Math.max(style.height, minHeight), width: Math.max(style.width, minWidth) }
}

/**
 * Frost texture `index` (0 … 4) as cv2.imread would return a photograph: height × width × 3
 * BGR bytes, at least `minHeight` × `minWidth`. The same index and size give the same bytes.
 */
export function generateFrostTexture(
  index: number,
  minHeight: number,
  minWidth: number,
): { height: number; width: number; bgr: Uint8Array } {
  const style = styleOf(index)
  const { height, width } = frostTextureSize(index, minHeight, minWidth)
  const stream = createRandomStream(style.seed)

  const mottle = new Float32Array(width * height)
  for (const [cell, amplitude] of [
    [97, 0.5],
    [41, 0.3],
    [13, 0.15],
    [4, 0.08],
  ] as const) {
    addValueNoise(mottle, width, height, cell, amplitude, stream)
  }

  const ink = new Float32Array(width * height)
  const stems = Math.round((style.density * width * height) / 10_000)
  const [shortest, longest] = style.length
  for (let s = 0; s < stems; s++) {
    const start: [number, number] = [unit(stream) * width, unit(stream) * height]
    const angle = unit(stream) * 2 * Math.PI
    const length = shortest + (longest - shortest) * unit(stream) ** 2
    drawArm(ink, width, height, style, stream, start, angle, length, 2)
  }

  const bgr = new Uint8Array(width * height * 3)
  for (let i = 0; i < width * height; i++) {
    const shade = 1 + style.mottling * mottle[i]
    // Overlapping strokes saturate like frost piling up, instead of adding without bound.
    const cover = style.opacity * (1 - Math.exp(-1.2 * ink[i]))
    for (let c = 0; c < 3; c++) {
      const ice = style.base[c] * shade
      const value = ice + (style.crystal[c] - ice) * cover
      bgr[i * 3 + 2 - c] = value < 0 ? 0 : value > 255 ? 255 : Math.round(value)
    }
  }
  return { height, width, bgr }
}
