/** The 15 benchmark corruptions of ImageNet-C, then the 4 extra ones, in the protocol's order. */
export const CORRUPTION_NAMES = [
  'gaussian_noise',
  'shot_noise',
  'impulse_noise',
  'defocus_blur',
  'glass_blur',
  'motion_blur',
  'zoom_blur',
  'snow',
  'frost',
  'fog',
  'brightness',
  'contrast',
  'elastic_transform',
  'pixelate',
  'jpeg_compression',
  'speckle_noise',
  'gaussian_blur',
  'spatter',
  'saturate',
] as const

export type CorruptionName = (typeof CORRUPTION_NAMES)[number]

/** One cell of a corruption sweep, applied to every image after resize and crop. */
export interface CorruptionCell {
  name: CorruptionName
  severity: 1 | 2 | 3 | 4 | 5
  /** With an image's dataset position, seeds its draws: a cell is reproducible. */
  seed: number
  /** JPEG quality of the save after corrupting (ImageNet-C stores JPEG q85); null: none. */
  jpegQuality: number | null
  /** Images the preprocessing pads: corrupt 'before' the zero padding or 'after' it. */
  padding: 'before' | 'after'
}
