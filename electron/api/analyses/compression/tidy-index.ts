import type { TidyValue } from '../tidy.ts'

/** Where a row sits: `dim` = its item's position, `channel` = the position inside the item. */
export interface TidyAt {
  dim?: number
  channel?: number
  tap?: string
}

/** Rows found by quantity and position in constant time (a ResNet50 result has ~10⁵ rows). */
export interface TidyIndex {
  row(quantity: string, at?: TidyAt): TidyValue | undefined
  /** A stored null stays null: the rows give back exactly what was stored. */
  value(quantity: string, at?: TidyAt): number
  text(quantity: string, at?: TidyAt): string
  has(quantity: string, at?: TidyAt): boolean
  /** The rows of a quantity, ordered by dim and then channel. */
  all(quantity: string, at?: Pick<TidyAt, 'dim'>): TidyValue[]
}

const keyOf = (quantity: string, at: TidyAt = {}): string =>
  `${quantity}|${at.dim ?? ''}|${at.channel ?? ''}`

const byPosition = (a: TidyValue, b: TidyValue): number =>
  (a.dim ?? 0) - (b.dim ?? 0) || (a.channel ?? 0) - (b.channel ?? 0)

export function tidyIndex(rows: TidyValue[]): TidyIndex {
  const single = new Map<string, TidyValue>()
  const grouped = new Map<string, TidyValue[]>()
  for (const row of rows) {
    single.set(keyOf(row.quantity, row), row)
    for (const key of [row.quantity, keyOf(row.quantity, { dim: row.dim })]) {
      const group = grouped.get(key)
      if (group) group.push(row)
      else grouped.set(key, [row])
    }
  }
  const row = (quantity: string, at?: TidyAt) => single.get(keyOf(quantity, at))
  return {
    row,
    value: (quantity, at) => row(quantity, at)?.value as number,
    text: (quantity, at) => row(quantity, at)?.text ?? '',
    has: (quantity, at) => row(quantity, at) !== undefined,
    all: (quantity, at) =>
      [...(grouped.get(at === undefined ? quantity : keyOf(quantity, at)) ?? [])].sort(byPosition),
  }
}
