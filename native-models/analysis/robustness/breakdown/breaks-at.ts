/**
 * Where a representation breaks: the first tap, in depth order, whose CKA to the clean
 * activations is below `threshold`. Undefined values (null, NaN) are skipped: an n/a tap is not
 * evidence of a break. null when no tap falls below.
 * @example firstTapBelow(['stem', 'layer1.0', 'pooled'], [0.99, 0.85, 0.6], 0.9) // 'layer1.0'
 */
export function firstTapBelow(
  keys: readonly string[],
  values: readonly (number | null)[],
  threshold: number,
): string | null {
  if (keys.length !== values.length)
    throw new RangeError(`${keys.length} tap keys but ${values.length} values.`)
  if (!Number.isFinite(threshold)) throw new RangeError(`The threshold ${threshold} is not finite.`)
  const index = values.findIndex((v) => v !== null && Number.isFinite(v) && v < threshold)
  return index === -1 ? null : keys[index]
}
