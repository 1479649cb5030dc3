// JSON columns are written by this layer only (and CHECKed by the schema), so parsing trusts them.

export function parseJsonColumn<Value>(text: string): Value {
  return JSON.parse(text) as Value
}

export function parseNullableJsonColumn<Value>(text: string | null): Value | null {
  return text === null ? null : parseJsonColumn<Value>(text)
}

export function toNullableJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value)
}
