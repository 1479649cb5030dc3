import { expect } from 'vitest'

/** Asserts that `action` throws an error with this `code` (and a message matching `message`). */
export function expectErrorCode(action: () => unknown, code: string, message?: RegExp): void {
  let caught: unknown
  try {
    action()
  } catch (error) {
    caught = error
  }
  expect(caught, 'expected an error').toBeInstanceOf(Error)
  expect((caught as { code?: unknown }).code).toBe(code)
  if (message !== undefined) expect((caught as Error).message).toMatch(message)
}
