import type { Grid } from './cka-spec.ts'

/** CKA of each tap to the same tap on the other side: the diagonal of a matrix, by key. */
export function diagonal(grid: Grid): Record<string, number | null> {
  const columns = new Map(grid.columnKeys.map((key, j) => [key, j]))
  const out: Record<string, number | null> = {}
  grid.rowKeys.forEach((key, i) => {
    const j = columns.get(key)
    if (j !== undefined) out[key] = grid.values[i]?.[j] ?? null
  })
  return out
}

/** B − A cell by cell (n/a where either is), on A's keys. */
export function difference(a: Grid, b: Grid): Grid {
  const values = a.values.map((row, i) =>
    row.map((v, j) => {
      const w = b.values[i]?.[j]
      return v === null || w === null || w === undefined ? null : w - v
    }),
  )
  return { rowKeys: a.rowKeys, columnKeys: a.columnKeys, values }
}

/** The largest value of a grid (at least `floor`); 1 when it has none. */
export function largest(grid: Grid, floor: number): number {
  const values = grid.values.flat().filter((v): v is number => v !== null)
  return values.length ? Math.max(...values, floor) : 1
}
