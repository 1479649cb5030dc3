/**
 * skimage.color.rgb2hsv and hsv2rgb (skimage 0.19) on float64 HWC data, in place, with the same
 * float operations in the same order, so the round trip rounds as the reference does.
 */

/** NumPy's float remainder (np.remainder, Python's %): the sign of the divisor. */
function remainder(a: number, b: number): number {
  const mod = a % b
  if (mod === 0) return 0
  return mod < 0 !== b < 0 ? mod + b : mod
}

/** RGB in [0, 1] → HSV in [0, 1] for every pixel (H, S, V in the same three slots). */
export function rgbToHsvInPlace(data: Float64Array): void {
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i]
    const g = data[i + 1]
    const b = data[i + 2]
    const v = Math.max(r, g, b)
    const delta = v - Math.min(r, g, b)
    if (delta === 0) {
      data[i] = 0
      data[i + 1] = 0
      data[i + 2] = v
      continue
    }
    // skimage assigns red, then green, then blue: the last channel equal to the maximum wins.
    let h = 0
    if (r === v) h = (g - b) / delta
    if (g === v) h = 2 + (b - r) / delta
    if (b === v) h = 4 + (r - g) / delta
    data[i] = remainder(h / 6, 1)
    data[i + 1] = delta / v
    data[i + 2] = v
  }
}

/** HSV → RGB for every pixel, as skimage's sector choice (floor(6h) mod 6). */
export function hsvToRgbInPlace(data: Float64Array): void {
  for (let i = 0; i < data.length; i += 3) {
    const h = data[i]
    const s = data[i + 1]
    const v = data[i + 2]
    const sector = Math.floor(h * 6)
    const f = h * 6 - sector
    const p = v * (1 - s)
    const q = v * (1 - f * s)
    const t = v * (1 - (1 - f) * s)
    switch (sector % 6) {
      case 0:
        data[i] = v
        data[i + 1] = t
        data[i + 2] = p
        break
      case 1:
        data[i] = q
        data[i + 1] = v
        data[i + 2] = p
        break
      case 2:
        data[i] = p
        data[i + 1] = v
        data[i + 2] = t
        break
      case 3:
        data[i] = p
        data[i + 1] = q
        data[i + 2] = v
        break
      case 4:
        data[i] = t
        data[i + 1] = p
        data[i + 2] = v
        break
      default:
        data[i] = v
        data[i + 1] = p
        data[i + 2] = q
    }
  }
}
