/** Layer keys separated by commas or spaces; null (every tap) when there are none. */
export function parseTaps(text: string): string[] | null {
  const keys = text
    .split(/[\s,]+/)
    .map((key) => key.trim())
    .filter(Boolean)
  return keys.length === 0 ? null : keys
}
