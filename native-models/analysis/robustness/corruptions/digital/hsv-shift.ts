import type { Corruption, CorruptionCall } from '../corruption.ts'
import { hsvToRgbInPlace, rgbToHsvInPlace } from '../filters/hsv.ts'
import { toBytes, toFloat } from '../image.ts'
import type { RgbImage } from '../image.ts'
import { parameterFor } from '../size-table.ts'
import type { SeverityTable } from '../size-table.ts'

// Severity tables of make_cifar_c.py (32), make_tinyimagenet_c.py (64), make_imagenet_c.py (224).
const BRIGHTNESS: SeverityTable<number> = {
  32: [0.05, 0.1, 0.15, 0.2, 0.3],
  64: [0.1, 0.2, 0.3, 0.4, 0.5],
  224: [0.1, 0.2, 0.3, 0.4, 0.5],
}
/** (scale, shift) of the saturation. */
const SATURATE: SeverityTable<readonly [number, number]> = {
  32: [
    [0.3, 0],
    [0.1, 0],
    [1.5, 0],
    [2, 0.1],
    [2.5, 0.2],
  ],
  64: [
    [0.3, 0],
    [0.1, 0],
    [2, 0],
    [5, 0.1],
    [30, 0.2],
  ],
  224: [
    [0.3, 0],
    [0.1, 0],
    [2, 0],
    [5, 0.1],
    [20, 0.2],
  ],
}

function clip01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v
}

/** An HSV corruption: x / 255 → skimage rgb2hsv → change one channel → hsv2rgb → clip × 255. */
function hsvShift(
  name: Corruption['name'],
  family: Corruption['family'],
  isBenchmark: boolean,
  addsColour: boolean,
  change: (hsv: Float64Array, call: CorruptionCall) => void,
): Corruption {
  return {
    name,
    family,
    isBenchmark,
    addsColour,
    deviation: null,
    apply(image: RgbImage, call: CorruptionCall): Promise<RgbImage> {
      const x = toFloat(image)
      rgbToHsvInPlace(x.data)
      change(x.data, call)
      hsvToRgbInPlace(x.data)
      return Promise.resolve(toBytes(x))
    },
  }
}

/** HSV value + c, clipped to [0, 1]. A gray pixel has saturation 0 and stays gray. */
export const brightness = hsvShift('brightness', 'weather', true, false, (hsv, call) => {
  const c = parameterFor(BRIGHTNESS, call.table, call.severity)
  for (let i = 2; i < hsv.length; i += 3) hsv[i] = clip01(hsv[i] + c)
})

/**
 * HSV saturation · s + t, clipped to [0, 1]. Where t > 0 (severities 4 and 5) a gray pixel gets
 * saturation t at hue 0, so gray images turn reddish.
 */
export const saturate = hsvShift('saturate', 'digital', false, true, (hsv, call) => {
  const [scale, shift] = parameterFor(SATURATE, call.table, call.severity)
  for (let i = 1; i < hsv.length; i += 3) hsv[i] = clip01(hsv[i] * scale + shift)
})
