// torchvision 0.14's size and offset rules for Resize(int) and CenterCrop(int) on PIL images.

export interface Size {
  width: number
  height: number
}

/** Python's round(): halves go to the even neighbour (banker's rounding). */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value)
  const fraction = value - floor
  if (fraction > 0.5) return floor + 1
  if (fraction < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}

/**
 * torchvision's `_compute_resized_output_size`: the shorter side becomes `size`, the longer side
 * `int(size * long / short)` (truncated, in float64 as Python computes it).
 */
export function resizedSize(image: Size, size: number): Size {
  const short = Math.min(image.width, image.height)
  const long = Math.max(image.width, image.height)
  const newLong = Math.trunc((size * long) / short)
  return image.width <= image.height
    ? { width: size, height: newLong }
    : { width: newLong, height: size }
}

export interface CropPlan {
  /** Zero padding added first when the crop is larger than the image (torchvision pads, then crops). */
  padLeft: number
  padTop: number
  padRight: number
  padBottom: number
  /** Offsets of the crop in the padded image. */
  left: number
  top: number
  size: Size
}

function padBefore(crop: number, length: number): number {
  return crop > length ? Math.floor((crop - length) / 2) : 0
}

function padAfter(crop: number, length: number): number {
  return crop > length ? Math.floor((crop - length + 1) / 2) : 0
}

/** torchvision's `center_crop`: `int(round((h - crop) / 2.0))` with Python's round. */
export function centerCropPlan(image: Size, crop: number): CropPlan {
  const padLeft = padBefore(crop, image.width)
  const padTop = padBefore(crop, image.height)
  const padRight = padAfter(crop, image.width)
  const padBottom = padAfter(crop, image.height)
  const paddedWidth = image.width + padLeft + padRight
  const paddedHeight = image.height + padTop + padBottom
  return {
    padLeft,
    padTop,
    padRight,
    padBottom,
    left: roundHalfToEven((paddedWidth - crop) / 2),
    top: roundHalfToEven((paddedHeight - crop) / 2),
    size: { width: crop, height: crop },
  }
}
