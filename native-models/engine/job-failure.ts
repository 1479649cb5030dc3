import { ERROR_CODES } from '../../electron/api/contract/index.ts'
import type { ErrorCode, IpcError } from '../../electron/api/contract/index.ts'

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}

/**
 * A job's error as the host shows it. Our own errors (ModelError, RuntimeError, DataError, ...)
 * carry a contract code and a sentence for the user; anything else is a bug, reported as INTERNAL.
 */
export function toJobFailure(error: unknown): IpcError {
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : String(error)
  if (isErrorCode(code)) return { code, message }
  return { code: 'INTERNAL', message: `The job failed unexpectedly: ${message}` }
}

interface ProcessExit {
  code: number | null
  signal: string | null
}

/** 'signal SIGKILL' or 'exit code 3'. */
export function describeExit(exit: ProcessExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`
}

/** The sentence for a job whose engine died under it. */
export function engineCrashMessage(jobId: number, exit: ProcessExit): string {
  return `The analysis engine stopped unexpectedly (${describeExit(exit)}) while running job ${jobId}; the job was not saved. Start it again.`
}
