// The geometric steps torchvision applies to a PIL image before ToTensor: Resize(int), then
// CenterCrop(int) (zero padding first when the crop is larger than the image).
import { centerCropPlan, resizedSize } from './geometry.ts'
import { resample } from './resample.ts'
import type { RawImage, ResampleFilter } from './types.ts'

/**
 * `Resize(size)` then `CenterCrop(crop)`, computing only the cropped pixels when the crop fits inside
 * the resized image (a 256 → 224 crop skips a third of the work); identical to the two steps.
 */
export function resizeThenCrop(
  image: RawImage,
  size: number,
  crop: number,
  filter: ResampleFilter,
): RawImage {
  const target = resizedSize(image, size)
  const plan = centerCropPlan(target, crop)
  const fitsInside = crop <= target.width && crop <= target.height
  if (!fitsInside || target.width === image.width || target.height === image.height) {
    return centerCrop(resizeShorterSide(image, size, filter), crop)
  }
  const window = { left: plan.left, top: plan.top, width: crop, height: crop }
  return resample(image, target.width, target.height, filter, window)
}

/** `transforms.Resize(size)` on a PIL image: the shorter side becomes `size`. */
export function resizeShorterSide(image: RawImage, size: number, filter: ResampleFilter): RawImage {
  const target = resizedSize(image, size)
  if (target.width === image.width && target.height === image.height) return image
  return resample(image, target.width, target.height, filter)
}

function emptyLike(image: RawImage, width: number, height: number): RawImage['data'] {
  const length = width * height * image.channels
  return image.data instanceof Uint8Array ? new Uint8Array(length) : new Float32Array(length)
}

/** `transforms.CenterCrop(size)` on a PIL image, with Python's rounding of the offsets. */
export function centerCrop(image: RawImage, size: number): RawImage {
  const plan = centerCropPlan(image, size)
  if (size === image.width && size === image.height) return image
  const { channels } = image
  const data = emptyLike(image, size, size)
  // Source column/row of crop pixel (0, 0), in the unpadded image.
  const sourceLeft = plan.left - plan.padLeft
  const sourceTop = plan.top - plan.padTop
  for (let y = 0; y < size; y += 1) {
    const sourceY = y + sourceTop
    if (sourceY < 0 || sourceY >= image.height) continue
    const firstX = Math.max(0, -sourceLeft)
    const endX = Math.min(size, image.width - sourceLeft)
    if (endX <= firstX) continue
    const from = (sourceY * image.width + sourceLeft + firstX) * channels
    data.set(
      image.data.subarray(from, from + (endX - firstX) * channels),
      (y * size + firstX) * channels,
    )
  }
  return { data, width: size, height: size, channels }
}
