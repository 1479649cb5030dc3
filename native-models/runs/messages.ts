/** A short, single-line rendering of a JSON value for an error message. */
export function preview(value: unknown): string {
  // JSON.parse turns 1e400 into Infinity, which JSON.stringify would print as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} (beyond a double)`
  const text = value === undefined ? 'nothing' : JSON.stringify(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

/** "a, b, c and 3 more" for lists that may be long; `total` counts items not passed in. */
export function listForMessage(
  items: readonly (string | number)[],
  limit = 8,
  total = items.length,
): string {
  const shown = items.slice(0, limit)
  const rest = total - shown.length
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ')
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function withoutByteOrderMark(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text
}
