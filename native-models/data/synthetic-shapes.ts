import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { SeededRandom } from '../surgery/prng.ts'

/** Ten drawable classes: different enough that a trained network could tell them apart. */
export const SHAPE_CLASSES = [
  'disc',
  'square',
  'triangle',
  'cross',
  'ring',
  'h-bars',
  'v-bars',
  'diagonal',
  'dots',
  'checker',
] as const

export type ShapeClass = (typeof SHAPE_CLASSES)[number]

interface Placement {
  cx: number
  cy: number
  r: number
}

// (dx, dy) relative to the shape's centre, in units of its radius.
const INSIDE: Record<ShapeClass, (dx: number, dy: number) => boolean> = {
  disc: (dx, dy) => dx * dx + dy * dy <= 1,
  square: (dx, dy) => Math.abs(dx) <= 0.8 && Math.abs(dy) <= 0.8,
  triangle: (dx, dy) => dy <= 0.8 && dy >= -0.9 + 2 * Math.abs(dx),
  cross: (dx, dy) =>
    (Math.abs(dx) <= 0.25 || Math.abs(dy) <= 0.25) && Math.max(Math.abs(dx), Math.abs(dy)) <= 1,
  ring: (dx, dy) => dx * dx + dy * dy <= 1 && dx * dx + dy * dy >= 0.4,
  'h-bars': (dx, dy) =>
    Math.abs(dx) <= 1 && Math.abs(dy) <= 1 && Math.floor((dy + 1) * 2.5) % 2 === 0,
  'v-bars': (dx, dy) =>
    Math.abs(dx) <= 1 && Math.abs(dy) <= 1 && Math.floor((dx + 1) * 2.5) % 2 === 0,
  diagonal: (dx, dy) => Math.abs(dx - dy) <= 0.35 && Math.abs(dx) <= 1 && Math.abs(dy) <= 1,
  dots: (dx, dy) => {
    const fx = dx - Math.round(dx * 1.5) / 1.5
    const fy = dy - Math.round(dy * 1.5) / 1.5
    return Math.abs(dx) <= 1 && Math.abs(dy) <= 1 && fx * fx + fy * fy <= 0.05
  },
  checker: (dx, dy) =>
    Math.abs(dx) <= 1 &&
    Math.abs(dy) <= 1 &&
    (Math.floor((dx + 1) * 2) + Math.floor((dy + 1) * 2)) % 2 === 0,
}

function colour(random: SeededRandom, low: number, high: number): number[] {
  return [0, 1, 2].map(() => Math.round(low + random.nextFloat64() * (high - low)))
}

/** One RGB uint8 image (HWC): a bright shape on a dark background, jittered and noisy. */
export function drawShape(kind: ShapeClass, size: number, random: SeededRandom): Uint8Array {
  const place: Placement = {
    r: size * (0.25 + random.nextFloat64() * 0.15),
    cx: size * (0.38 + random.nextFloat64() * 0.24),
    cy: size * (0.38 + random.nextFloat64() * 0.24),
  }
  const background = colour(random, 0, 90)
  const foreground = colour(random, 150, 255)
  const pixels = new Uint8Array(size * size * 3)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const isInside = INSIDE[kind]((x + 0.5 - place.cx) / place.r, (y + 0.5 - place.cy) / place.r)
      const base = isInside ? foreground : background
      for (let c = 0; c < 3; c++) {
        const noisy = base[c] + random.nextNormal() * 12
        pixels[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(noisy)))
      }
    }
  }
  return pixels
}

/** Writes an ImageFolder of PNGs (`<root>/<class>/<i>.png`), the same bytes for the same seed. */
export async function writeShapeFolder(
  root: string,
  options: { perClass: number; size: number; seed: number },
): Promise<number> {
  const random = new SeededRandom(options.seed, 'synthetic-shapes')
  let written = 0
  for (const kind of SHAPE_CLASSES) {
    await mkdir(join(root, kind), { recursive: true })
    for (let i = 0; i < options.perClass; i++) {
      const pixels = drawShape(kind, options.size, random)
      const png = await sharp(pixels, {
        raw: { width: options.size, height: options.size, channels: 3 },
      })
        .png()
        .toBuffer()
      await writeFile(join(root, kind, `${String(i).padStart(3, '0')}.png`), png)
      written += 1
    }
  }
  return written
}
