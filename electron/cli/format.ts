import type { Dim } from '../api/contract/index.ts'

export function formatCount(value: number): string {
  return value.toLocaleString('en-US')
}

export function formatShape(shape: readonly Dim[]): string {
  return `[${shape.join(', ')}]`
}

export function formatBytes(bytes: number): string {
  // Powers of 1024, so the binary prefixes (KiB, not KB).
  const units = ['B', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`
}

/** Left-aligned text columns, right-aligned numeric columns. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const isNumeric = header.map((_, i) => rows.every((r) => /^[-\d,.%]*$/.test(r[i] ?? '')))
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (isNumeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
