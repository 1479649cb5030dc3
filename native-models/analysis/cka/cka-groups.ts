/**
 * Mean ± std of several CKA matrices or timelines (a run group: the seeds of one configuration).
 * Null-aware: a cell that is n/a (null or not finite) in any member is n/a in the mean and the std,
 * and so is a key that a member lacks. The std is the sample standard deviation (n − 1), null when
 * the group has fewer than two members.
 */

export type CkaValue = number | null

/** A CKA matrix by layer keys, as `cka:compute` returns it (values[row][column]). */
export interface KeyedMatrix {
  rowKeys: readonly string[]
  columnKeys: readonly string[]
  values: readonly (readonly CkaValue[])[]
}

export interface MatrixSpread {
  rowKeys: string[]
  columnKeys: string[]
  mean: CkaValue[][]
  std: CkaValue[][]
  /** Members averaged. */
  count: number
}

/** One tap's CKA to the reference at each position of a timeline (epochs in order). */
export interface KeyedSeries {
  key: string
  values: readonly CkaValue[]
}

export interface SeriesSpread {
  key: string
  mean: CkaValue[]
  std: CkaValue[]
}

const isValue = (v: CkaValue | undefined): v is number =>
  typeof v === 'number' && Number.isFinite(v)

/** Mean and sample std of one cell across members; both null when any member has no value. */
export function cellSpread(values: readonly (CkaValue | undefined)[]): {
  mean: CkaValue
  std: CkaValue
} {
  if (values.length === 0 || !values.every(isValue)) return { mean: null, std: null }
  const present = values as number[]
  const mean = present.reduce((sum, v) => sum + v, 0) / present.length
  if (present.length < 2) return { mean, std: null }
  const squares = present.reduce((sum, v) => sum + (v - mean) ** 2, 0)
  return { mean, std: Math.sqrt(squares / (present.length - 1)) }
}

function lookup(matrix: KeyedMatrix): (row: string, column: string) => CkaValue | undefined {
  const rows = new Map(matrix.rowKeys.map((key, i) => [key, i]))
  const columns = new Map(matrix.columnKeys.map((key, j) => [key, j]))
  return (row, column) => {
    const i = rows.get(row)
    const j = columns.get(column)
    return i === undefined || j === undefined ? undefined : matrix.values[i]?.[j]
  }
}

/**
 * Cell-wise mean ± std of matrices matched by layer key (the first member's keys and order).
 * @example meanStdMatrices([seed0Within, seed1Within, seed2Within]).std[3][5]
 */
export function meanStdMatrices(members: readonly KeyedMatrix[]): MatrixSpread {
  const first = members[0]
  if (!first) throw new RangeError('A run group needs at least one CKA matrix.')
  const readers = members.map(lookup)
  const mean: CkaValue[][] = []
  const std: CkaValue[][] = []
  for (const row of first.rowKeys) {
    const cells = first.columnKeys.map((column) => cellSpread(readers.map((at) => at(row, column))))
    mean.push(cells.map((c) => c.mean))
    std.push(cells.map((c) => c.std))
  }
  return {
    rowKeys: [...first.rowKeys],
    columnKeys: [...first.columnKeys],
    mean,
    std,
    count: members.length,
  }
}

/**
 * Position-wise mean ± std of timelines matched by tap key (the first member's keys). Position i
 * is the i-th checkpoint of each member, so give members the same epochs; a member shorter than
 * the longest one is n/a at the positions it lacks.
 */
export function meanStdSeries(members: readonly (readonly KeyedSeries[])[]): SeriesSpread[] {
  const first = members[0]
  if (!first) throw new RangeError('A run group needs at least one CKA timeline.')
  const length = Math.max(...members.flatMap((m) => m.map((s) => s.values.length)), 0)
  const byKey = members.map((m) => new Map(m.map((s) => [s.key, s.values])))
  return first.map(({ key }) => {
    const cells = Array.from({ length }, (_, i) =>
      cellSpread(byKey.map((series) => series.get(key)?.[i])),
    )
    return { key, mean: cells.map((c) => c.mean), std: cells.map((c) => c.std) }
  })
}
