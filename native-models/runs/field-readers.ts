import { preview } from './messages.ts'

/** A run.json field that holds the wrong thing; run-json.ts turns it into RUN_JSON_MALFORMED. */
export class FieldProblem extends Error {
  override readonly name = 'FieldProblem'
  readonly field: string

  constructor(field: string, message: string) {
    super(message)
    this.field = field
  }
}

/** "field 'tags' must be a list of strings, not "resnet"" */
export function wrongValue(field: string, expected: string, value: unknown): FieldProblem {
  return new FieldProblem(field, `field '${field}' must be ${expected}, not ${preview(value)}`)
}

export function readString(field: string, value: unknown): string {
  if (typeof value === 'string') return value
  throw wrongValue(field, 'a string', value)
}

export function readNonEmptyString(field: string, value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '') return value
  throw wrongValue(field, 'a non-empty string', value)
}

export function readStringList(field: string, value: unknown): string[] {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value
  throw wrongValue(field, 'a list of strings', value)
}

export function readBoolean(field: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value
  throw wrongValue(field, 'true or false', value)
}

export function readPositiveInteger(field: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value
  throw wrongValue(field, 'a positive integer', value)
}

export function readNonNegativeInteger(field: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value
  throw wrongValue(field, 'an integer ≥ 0', value)
}

export function readNumberList(field: string, value: unknown, expected: string): number[] {
  const isNumberList =
    Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item))
  if (isNumberList) return value as number[]
  throw wrongValue(field, expected, value)
}

/** The field's value read by `read`, or `fallback` when the field is absent or null. */
export function optional<Value, Fallback>(
  field: string,
  value: unknown,
  read: (field: string, value: unknown) => Value,
  fallback: Fallback,
): Value | Fallback {
  return value === undefined || value === null ? fallback : read(field, value)
}
