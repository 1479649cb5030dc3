import type { Corruption, CorruptionCall } from '../corruption.ts'
import { resizedSide, resizeLinearUint8 } from '../filters/opencv-resize.ts'
import { assertRgb } from '../image.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable, SizeTable } from '../size-table.ts'
import { FROST_TEXTURE_COUNT, frostTextureSize, generateFrostTexture } from './frost-texture.ts'

/** (image weight a, frost weight b) */
type FrostParameters = readonly [number, number]

// make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const FROST: SeverityTable<FrostParameters> = {
  32: [
    [1, 0.2],
    [1, 0.3],
    [0.9, 0.4],
    [0.85, 0.4],
    [0.75, 0.45],
  ],
  64: [
    [1, 0.3],
    [0.9, 0.4],
    [0.8, 0.45],
    [0.75, 0.5],
    [0.7, 0.55],
  ],
  224: [
    [1, 0.4],
    [0.8, 0.6],
    [0.7, 0.7],
    [0.65, 0.7],
    [0.6, 0.75],
  ],
}

/** cv2.resize(frost, (0, 0), fx=f, fy=f) before cropping: CIFAR 0.2, Tiny-ImageNet 0.3, none. */
const TEXTURE_SCALE: Record<SizeTable, number> = { 32: 0.2, 64: 0.3, 224: 1 }

interface ScaledTexture {
  /** As cv2.imread returns it: BGR, before the table's resize. */
  original: { height: number; width: number; bgr: Uint8Array }
  scaled: { height: number; width: number; data: Uint8Array }
}

// Textures are deterministic per (index, size, scale); a sweep reuses a handful of them. Only
// images larger than the photographs' sizes need other sizes, so a few entries are kept.
const textures = new Map<string, ScaledTexture>()
const CACHED_TEXTURES = 16

/** The smallest texture side that still leaves a crop offset after scaling (randint needs > 0). */
function minimumSide(side: number, scale: number): number {
  let n = Math.ceil((side + 1) / scale)
  while (resizedSide(n, scale) <= side) n++
  return n
}

function textureFor(index: number, height: number, width: number, scale: number): ScaledTexture {
  const size = frostTextureSize(index, minimumSide(height, scale), minimumSide(width, scale))
  const key = `${index}:${size.height}x${size.width}:${scale}`
  let texture = textures.get(key)
  if (!texture) {
    const original = generateFrostTexture(index, size.height, size.width)
    const scaled =
      scale === 1
        ? { height: original.height, width: original.width, data: original.bgr }
        : resizeLinearUint8(original.bgr, original.width, original.height, 3, scale, scale)
    texture = { original, scaled }
    if (textures.size >= CACHED_TEXTURES) textures.delete(textures.keys().next().value ?? '')
    textures.set(key, texture)
  }
  return texture
}

/**
 * frost: a·x + b·(a random crop of a frost texture), clipped to 0…255. The texture (one of five,
 * randint(5)) is resized as each table does, then cropped at randint offsets; its BGR channels
 * are reversed to RGB.
 */
export const frost: Corruption = {
  name: 'frost',
  family: 'weather',
  isBenchmark: true,
  // The textures are tinted (teal, blue-gray), so a gray image gets coloured.
  addsColour: true,
  deviation:
    'The frost textures are generated procedurally (ice crystals from fixed seeds, in the size and tone of the originals), not the five frost photographs the original code reads from files.',
  apply(image: RgbImage, { severity, table, random }: CorruptionCall): Promise<RgbImage> {
    assertRgb(image)
    const [imageWeight, frostWeight] = parameterFor(FROST, table, severity)
    const { width, height } = image
    const index = random.integers(1, 0, FROST_TEXTURE_COUNT)[0]
    const { original, scaled } = textureFor(index, height, width, TEXTURE_SCALE[table])
    random.recordTexture?.(original.height, original.width, original.bgr)
    const rowStart = random.integers(1, 0, scaled.height - height)[0]
    const columnStart = random.integers(1, 0, scaled.width - width)[0]

    const pixels = image.data
    const ice = scaled.data
    const out = new Uint8Array(pixels.length)
    for (let y = 0; y < height; y++) {
      const row = y * width * 3
      // The crop's channels are reversed: BGR (as imread) to the image's RGB.
      const textureRow = ((rowStart + y) * scaled.width + columnStart) * 3 + 2
      for (let i = 0; i < width * 3; i++) {
        const c = i % 3
        const v = imageWeight * pixels[row + i] + frostWeight * ice[textureRow + i - 2 * c]
        // np.clip(…, 0, 255), then np.uint8 truncates.
        out[row + i] = v < 0 ? 0 : v > 255 ? 255 : v
      }
    }
    return Promise.resolve({ width, height, data: out })
  },
}
