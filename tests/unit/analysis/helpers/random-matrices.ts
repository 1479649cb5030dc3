import { createRandomStream } from '../../../../native-models/analysis/uncertainty/xoshiro128.ts'

/** Seeded values uniform in [−1, 1), as float64. */
export function randomMatrix(rows: number, columns: number, seed: number): Float64Array {
  const stream = createRandomStream(seed)
  return Float64Array.from({ length: rows * columns }, () => stream.nextUint32() / 2 ** 31 - 1)
}

/** The same seeded values rounded to float32, like cached features. */
export function randomFloat32Matrix(rows: number, columns: number, seed: number): Float32Array {
  return Float32Array.from(randomMatrix(rows, columns, seed))
}

/** GᵀG/k + shift·I for a seeded k×k G: symmetric positive definite, condition set by `shift`. */
export function randomSpdMatrix(k: number, seed: number, shift = 0.1): Float64Array {
  const n = k
  const g = randomMatrix(n, k, seed)
  const a = new Float64Array(k * k)
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      const gi = g[r * k + i] / n
      for (let j = 0; j < k; j++) a[i * k + j] += gi * g[r * k + j]
    }
  }
  for (let i = 0; i < k; i++) a[i * k + i] += shift
  // Rounding in the sum can differ between a[i, j] and a[j, i]: make it exactly symmetric.
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) a[j * k + i] = a[i * k + j]
  return a
}

/** ‖A·X − B‖_F / ‖B‖_F for row-major A (k×k), X and B (k×columns). */
export function relativeResidual(
  a: Float64Array,
  x: Float64Array,
  b: Float64Array,
  k: number,
  columns: number,
): number {
  let residual = 0
  let norm = 0
  for (let i = 0; i < k; i++) {
    for (let c = 0; c < columns; c++) {
      let sum = 0
      for (let p = 0; p < k; p++) sum += a[i * k + p] * x[p * columns + c]
      residual += (sum - b[i * columns + c]) ** 2
      norm += b[i * columns + c] ** 2
    }
  }
  return Math.sqrt(residual / norm)
}

/** max |x − y| / max |y|: a relative distance that is not fooled by tiny entries. */
export function maxRelativeDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`Lengths differ: ${x.length} vs ${y.length}.`)
  let difference = 0
  let scale = 0
  for (let i = 0; i < x.length; i++) {
    difference = Math.max(difference, Math.abs(x[i] - y[i]))
    scale = Math.max(scale, Math.abs(y[i]))
  }
  return difference / scale
}
