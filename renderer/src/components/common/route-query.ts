/** Positive whole ids from a query value: '3,5' or ['3', '5']. */
export function queryIds(value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value]
  return list
    .flatMap((v) => (typeof v === 'string' || typeof v === 'number' ? String(v).split(',') : []))
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
}
