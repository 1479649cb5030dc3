/** An RGB image as the protocol stores it: height × width × 3 bytes, row-major (HWC). */
export interface RgbImage {
  width: number
  height: number
  data: Uint8Array
}

/** The same image as floats in [0, 1] (x / 255), the space every corruption computes in. */
export interface FloatImage {
  width: number
  height: number
  data: Float64Array
}

export function toFloat(image: RgbImage): FloatImage {
  const data = new Float64Array(image.data.length)
  for (let i = 0; i < data.length; i++) data[i] = image.data[i] / 255
  return { width: image.width, height: image.height, data }
}

/**
 * Back to bytes as the reference stores them: clip to [0, 1], × 255, then np.uint8, which
 * truncates (it does not round).
 */
export function toBytes(image: FloatImage): RgbImage {
  const data = new Uint8Array(image.data.length)
  for (let i = 0; i < data.length; i++) {
    const v = image.data[i]
    data[i] = Math.trunc((v < 0 ? 0 : v > 1 ? 1 : v) * 255)
  }
  return { width: image.width, height: image.height, data }
}

/** Bytes from values already on the 0–255 scale (clipped, truncated as np.uint8 does). */
export function bytesFrom255(width: number, height: number, values: Float64Array): RgbImage {
  const data = new Uint8Array(values.length)
  for (let i = 0; i < data.length; i++) {
    const v = values[i]
    data[i] = Math.trunc(v < 0 ? 0 : v > 255 ? 255 : v)
  }
  return { width, height, data }
}

export function assertRgb(image: RgbImage): void {
  const { width, height, data } = image
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`An image needs a positive whole size, got ${width}×${height}.`)
  }
  if (data.length !== width * height * 3) {
    throw new RangeError(
      `A ${width}×${height} RGB image has ${width * height * 3} bytes, got ${data.length}.`,
    )
  }
}
