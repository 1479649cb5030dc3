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

/** Asserts an error's code and the key phrase of its message. */
export function expectError(error: unknown, code: string, phrase: string | RegExp): void {
  expect(error).toMatchObject({ code })
  expect(error instanceof Error ? error.message : String(error)).toMatch(phrase)
}
