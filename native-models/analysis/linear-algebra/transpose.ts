const TILE = 32

/** Row-major rows×columns → columns×rows, in cache-sized tiles (exact: no arithmetic). */
export function transpose<T extends Float32Array | Float64Array>(
  matrix: T,
  rows: number,
  columns: number,
): T {
  const result =
    matrix instanceof Float32Array
      ? new Float32Array(rows * columns)
      : new Float64Array(rows * columns)
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE)
    for (let c0 = 0; c0 < columns; c0 += TILE) {
      const c1 = Math.min(columns, c0 + TILE)
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) result[c * rows + r] = matrix[r * columns + c]
      }
    }
  }
  return result as T
}
