/** One value of a result and the index columns that say what it is. */
export interface TidyValue {
  quantity: string
  tap?: string
  class?: string
  predictedClass?: string
  bin?: number
  channel?: number
  dim?: number
  /** Values that are words or hashes (a pooling mode, a sha256); `value` is then null. */
  text?: string
  value: number | null
}

/** Rows by quantity, to rebuild a payload from its tidy rows. */
export function tidyLookup(rows: TidyValue[]) {
  const byQuantity = new Map<string, TidyValue[]>()
  for (const row of rows)
    byQuantity.set(row.quantity, [...(byQuantity.get(row.quantity) ?? []), row])
  const all = (quantity: string): TidyValue[] => byQuantity.get(quantity) ?? []
  // A stored null stays null: the rows give back exactly what was stored.
  const one = (quantity: string): number => all(quantity)[0]?.value as number
  const text = (quantity: string): string => all(quantity)[0]?.text ?? ''
  /** The values of a quantity ordered by an index column. */
  const ordered = (quantity: string, index: 'dim' | 'channel' | 'bin'): number[] =>
    all(quantity)
      .sort((a, b) => a[index]! - b[index]!)
      .map((r) => r.value as number)
  return { all, one, text, ordered }
}
