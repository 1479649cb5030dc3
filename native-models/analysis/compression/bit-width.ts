/** Fractional bits are clipped to 1 … base_bits − 1 with the reference's base_bits = 16. */
export const MIN_FRACTIONAL_BITS = 1
export const MAX_FRACTIONAL_BITS = 15
/** Added to max|x_c| before inverting, so an all-zero channel gets a finite scale. */
export const SCALE_EPSILON = 1e-6

/** Per-channel widths of one activation (arrays of length C). */
export interface ChannelBitWidths {
  /** −½·log2(dx²_c): the bits the error bound asks for on a unit range. */
  intrinsicBits: number[]
  /** clip(trunc(intrinsic − log2(s_c) − 1), 1, 15). */
  fractionalBits: number[]
  /** fractional bits + 1 sign bit: the width b_c stored per element. */
  bits: number[]
}

/**
 * AC-GC's width per channel from the allowed squared error (a scalar for a conv input, one value per
 * channel for a BN input) and the channel's max |x|: with s_c = 1/(max|x_c| + 1e-6),
 * f = −½·log2(dx²) − log2(s_c) − 1 and b_c = clip(trunc(f), 1, 15) + 1.
 * @example channelBitWidths(1 / 288, [1, 4]).bits // [4, 6]
 */
export function channelBitWidths(
  allowedSquaredError: number | readonly number[],
  maxAbs: readonly number[],
): ChannelBitWidths {
  if (typeof allowedSquaredError !== 'number' && allowedSquaredError.length !== maxAbs.length)
    throw new RangeError(
      `allowedSquaredError has ${allowedSquaredError.length} channels but maxAbs has ${maxAbs.length}.`,
    )
  const intrinsicBits = maxAbs.map(
    (_, c) =>
      -0.5 *
      Math.log2(
        typeof allowedSquaredError === 'number' ? allowedSquaredError : allowedSquaredError[c],
      ),
  )
  const fractionalBits = maxAbs.map((channelMaxAbs, c) => {
    const scaleBits = Math.log2(channelScale(channelMaxAbs))
    const f = intrinsicBits[c] - scaleBits - 1
    return Math.min(Math.max(Math.trunc(f), MIN_FRACTIONAL_BITS), MAX_FRACTIONAL_BITS)
  })
  return { intrinsicBits, fractionalBits, bits: fractionalBits.map((fraction) => fraction + 1) }
}

/** s_c = 1/(max|x_c| + 1e-6), in float32 as the reference computes it from a float32 tensor. */
export function channelScale(maxAbs: number): number {
  return Math.fround(1 / Math.fround(Math.fround(maxAbs) + SCALE_EPSILON))
}
