/** The parameter tables the protocol publishes: CIFAR-10/100-C, Tiny-ImageNet-C, ImageNet-C. */
export type SizeTable = 32 | 64 | 224

/**
 * The table for an image of this size (the shorter side): up to 45 px the 32-px table, up to
 * 150 px the 64-px table, above that the 224-px table. The cut points are the geometric means of
 * neighbouring table sizes (√(32·64) ≈ 45, √(64·224) ≈ 120, rounded up to 150 so that 128-px
 * crops keep the 64 table). Size-dependent constants (frost crops, fog maps, elastic scales) are
 * then taken from the image itself.
 */
export function sizeTableFor(width: number, height: number): SizeTable {
  const side = Math.min(width, height)
  if (side <= 45) return 32
  if (side <= 150) return 64
  return 224
}

export type Severity = 1 | 2 | 3 | 4 | 5

export const SEVERITIES: readonly Severity[] = [1, 2, 3, 4, 5]

/** One value per severity (1 → 5) for each table. */
export type SeverityTable<T> = Record<SizeTable, readonly [T, T, T, T, T]>

export function parameterFor<T>(table: SeverityTable<T>, size: SizeTable, severity: Severity): T {
  if (!SEVERITIES.includes(severity)) {
    throw new RangeError(`Severity must be 1 to 5, got ${String(severity)}.`)
  }
  return table[size][severity - 1]
}
