import { RequestError } from './errors.ts'

/** Refuses a request with one sentence naming the field and the fix. */
export function invalid(message: string): never {
  throw new RequestError('INVALID_ARGUMENT', message)
}

/** A whole number JavaScript holds exactly, from `min` to `max`. */
export const isWhole = (v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): v is number =>
  Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max

/** A row id: a whole number ≥ 1. */
export const isId = (v: unknown): v is number => isWhole(v, 1)
