/**
 * The heavy products the float64 linear algebra needs. The math in this folder only calls this
 * interface; `javascriptProducts` is exact and dependency-free, and the runtime supplies an
 * ONNX Runtime implementation (`ortDenseProducts`) for large sizes.
 */
export interface DenseProducts {
  /** Σ over rows of xᵀx for a row-major float32 m×d block, as a d×d float64 (both triangles). */
  crossProduct(x: Float32Array, m: number, d: number): Promise<Float64Array>
  /** Aᵀ·B for row-major float32 A (m×p) and B (m×q), in float64 (p×q). */
  transposedProduct(
    a: Float32Array,
    b: Float32Array,
    m: number,
    p: number,
    q: number,
  ): Promise<Float64Array>
  /** A·B for row-major float64 A (m×k) and B (k×n), in float64. */
  multiply(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Promise<Float64Array>
}

/** Plain-JS float64 products: exact reference for tests and fast enough for small sizes. */
export const javascriptProducts: DenseProducts = {
  crossProduct: (x, m, d) => Promise.resolve(crossProductJs(x, m, d)),
  transposedProduct: (a, b, m, p, q) => Promise.resolve(transposedProductJs(a, b, m, p, q)),
  multiply: (a, b, m, k, n) => Promise.resolve(multiplyJs(a, b, m, k, n)),
}

/** Checks that a row-major buffer holds exactly rows×columns values. */
export function assertMatrixLength(
  name: string,
  values: ArrayLike<number>,
  rows: number,
  columns: number,
): void {
  if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows < 0 || columns < 0) {
    throw new RangeError(`Matrix '${name}' has invalid dimensions ${rows}×${columns}.`)
  }
  if (values.length !== rows * columns) {
    throw new RangeError(
      `Matrix '${name}' should hold ${rows}×${columns} = ${rows * columns} values, got ${values.length}.`,
    )
  }
}

/** Upper triangle accumulated row by row (one float32 row widened once), then mirrored. */
export function crossProductJs(x: Float32Array, m: number, d: number): Float64Array {
  assertMatrixLength('x', x, m, d)
  const result = new Float64Array(d * d)
  const row = new Float64Array(d)
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < d; j++) row[j] = x[r * d + j]
    for (let i = 0; i < d; i++) {
      const xi = row[i]
      if (xi === 0) continue
      const base = i * d
      for (let j = i; j < d; j++) result[base + j] += xi * row[j]
    }
  }
  mirrorUpperTriangle(result, d)
  return result
}

export function transposedProductJs(
  a: Float32Array,
  b: Float32Array,
  m: number,
  p: number,
  q: number,
): Float64Array {
  assertMatrixLength('a', a, m, p)
  assertMatrixLength('b', b, m, q)
  const result = new Float64Array(p * q)
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < p; i++) {
      const ai = a[r * p + i]
      if (ai === 0) continue
      const base = i * q
      for (let j = 0; j < q; j++) result[base + j] += ai * b[r * q + j]
    }
  }
  return result
}

export function multiplyJs(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  assertMatrixLength('a', a, m, k)
  assertMatrixLength('b', b, k, n)
  const result = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    const base = i * n
    for (let l = 0; l < k; l++) {
      const ail = a[i * k + l]
      if (ail === 0) continue
      const bBase = l * n
      for (let j = 0; j < n; j++) result[base + j] += ail * b[bBase + j]
    }
  }
  return result
}

/** Copies the upper triangle of a row-major d×d matrix into its lower triangle, in place. */
export function mirrorUpperTriangle(matrix: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) matrix[j * d + i] = matrix[i * d + j]
  }
}
