/**
 * How a filter reads outside the image, by SciPy's names (OpenCV's in brackets):
 * - nearest: a a a | a b c d | d d d (BORDER_REPLICATE); skimage's gaussian default
 * - reflect: b a | a b c d | d c (BORDER_REFLECT); scipy.ndimage default, skimage elastic
 * - mirror: c b | a b c d | c b (BORDER_REFLECT_101); OpenCV filter2D and GaussianBlur default
 * - wrap: c d | a b c d | a b (BORDER_WRAP)
 * - constant: 0 | a b c d | 0 (BORDER_CONSTANT, value 0)
 */
export type BoundaryMode = 'nearest' | 'reflect' | 'mirror' | 'wrap' | 'constant'

/** The index inside [0, n) that position i reads from, or -1 for a constant 0. */
export function boundaryIndex(i: number, n: number, mode: BoundaryMode): number {
  if (i >= 0 && i < n) return i
  switch (mode) {
    case 'constant':
      return -1
    case 'nearest':
      return i < 0 ? 0 : n - 1
    case 'wrap':
      return ((i % n) + n) % n
    case 'reflect': {
      if (n === 1) return 0
      const period = 2 * n
      const k = ((i % period) + period) % period
      return k < n ? k : period - 1 - k
    }
    case 'mirror': {
      if (n === 1) return 0
      const period = 2 * n - 2
      const k = ((i % period) + period) % period
      return k < n ? k : period - k
    }
  }
}
