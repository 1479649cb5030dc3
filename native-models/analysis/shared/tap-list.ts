/** Tap names typed by a person ('stem, layer1.0 pooled'): null when none, meaning the defaults. */
export function parseTaps(text: string | undefined): string[] | null {
  const keys = (text ?? '')
    .split(/[\s,]+/)
    .map((key) => key.trim())
    .filter(Boolean)
  return keys.length === 0 ? null : keys
}
