import { shallowRef } from 'vue'
import { AppError } from '../api/client.ts'

export interface ShownError {
  id: number
  code: string
  message: string
}

let nextId = 1
const MAX_SHOWN = 4

/** Errors the shell's toast shows until dismissed, newest last. */
export const shownErrors = shallowRef<ShownError[]>([])

function describe(error: unknown): Omit<ShownError, 'id'> {
  if (error instanceof AppError) return { code: error.code, message: error.message }
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message }
  return { code: 'INTERNAL', message: String(error) }
}

/** Shows an error in the global toast; the same message twice in a row is shown once. */
export function showError(error: unknown): void {
  const shown = describe(error)
  const last = shownErrors.value.at(-1)
  if (last && last.code === shown.code && last.message === shown.message) return
  shownErrors.value = [...shownErrors.value, { id: nextId++, ...shown }].slice(-MAX_SHOWN)
}

export function dismissError(id: number): void {
  shownErrors.value = shownErrors.value.filter((error) => error.id !== id)
}

/** Runs an async action from a click; a failure goes to the toast instead of the console. */
export function reportFailure(action: Promise<unknown>): void {
  action.catch(showError)
}
