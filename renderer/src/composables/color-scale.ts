/** Maps values onto a sequential palette, linearly or on a log axis (counts spanning decades). */
export interface ColorScale {
  min: number
  max: number
  isLog: boolean
  stops: string[]
}

function parseHex(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** Position of a value on the scale, 0..1 (0.5 when the range is empty). */
export function scalePosition(scale: ColorScale, value: number): number {
  const f = (v: number): number => (scale.isLog ? Math.log10(Math.max(v, Number.MIN_VALUE)) : v)
  const [lo, hi] = [f(scale.min), f(scale.max)]
  if (!(hi > lo)) return 0.5
  return Math.max(0, Math.min(1, (f(value) - lo) / (hi - lo)))
}

function mixAt(stops: string[], t: number): number[] {
  const x = t * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(x))
  const a = parseHex(stops[i])
  const b = parseHex(stops[i + 1])
  return a.map((c, k) => Math.round(c + (b[k] - c) * (x - i)))
}

export function colorAt(stops: string[], t: number): string {
  return `rgb(${mixAt(stops, t).join(', ')})`
}

/** Black or white, whichever reads better on the colour at t. */
export function textOn(stops: string[], t: number): string {
  const [r, g, b] = mixAt(stops, t) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 ? '#111111' : '#ffffff'
}

/** A log axis only when every value is positive and they span more than two decades. */
export function suggestsLog(values: number[]): boolean {
  const positive = values.filter((v) => Number.isFinite(v))
  if (positive.length < 2 || positive.some((v) => v <= 0)) return false
  return Math.max(...positive) / Math.min(...positive) > 100
}
