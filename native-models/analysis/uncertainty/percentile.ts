/**
 * NumPy's `np.percentile(values, percent)` with the default 'linear' method, for values already
 * sorted ascending; same arithmetic (virtual index (m − 1) · percent / 100, NumPy's `_lerp`).
 */
export function linearPercentile(sortedValues: Float64Array, percent: number): number {
  const count = sortedValues.length
  if (count === 0) throw new RangeError('Cannot take a percentile of no values.')
  if (!(percent >= 0 && percent <= 100)) {
    throw new RangeError(`percent must lie in [0, 100], got ${percent}.`)
  }
  const virtualIndex = (count - 1) * (percent / 100)
  if (virtualIndex >= count - 1) return sortedValues[count - 1]
  const previousIndex = Math.floor(virtualIndex)
  const gamma = virtualIndex - previousIndex
  const previous = sortedValues[previousIndex]
  const next = sortedValues[previousIndex + 1]
  const difference = next - previous
  // NumPy interpolates from the nearer end, which keeps the result monotonic in gamma.
  return gamma >= 0.5 ? next - difference * (1 - gamma) : previous + difference * gamma
}
