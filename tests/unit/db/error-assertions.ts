import { expect } from 'vitest'

/** The error `work` throws; fails the test when it throws nothing. */
export function thrownBy(work: () => unknown): unknown {
  try {
    work()
  } catch (error) {
    return error
  }
  throw new Error('Expected an error, but nothing was thrown.')
}

/** The reason `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('Expected a rejection, but the promise resolved.')
}

function messageOf(error: unknown): string {
  const hasMessage = typeof error === 'object' && error !== null && 'message' in error
  return hasMessage && typeof error.message === 'string' ? error.message : String(error)
}

/** Asserts the code and the key phrase of the message of an error (or of a warning). */
export function expectError(error: unknown, code: string, phrase: string | RegExp): void {
  expect(error).toMatchObject({ code })
  expect(messageOf(error)).toMatch(phrase)
}
