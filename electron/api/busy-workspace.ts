import { isBusyError } from '../../db/index.ts'

/** After each attempt's own busy timeout (5 s): about 45 s in all before a write gives up. */
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000]

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs a workspace write; while another process holds the write lock (an import of a large
 * metrics file, another host's job) it tries again with backoff, then lets DB_LOCKED through.
 */
export async function retryWhileBusy<T>(write: () => T, delaysMs = RETRY_DELAYS_MS): Promise<T> {
  for (const delay of delaysMs) {
    try {
      return write()
    } catch (error) {
      if (!isBusyError(error)) throw error
    }
    await sleep(delay)
  }
  return write()
}

/**
 * A write from an event handler (job progress, the cancel poll): one that cannot be written is
 * skipped, never thrown into the event loop, where it would end the host process.
 */
export function writeOrSkip(write: () => void, what: string): boolean {
  try {
    write()
    return true
  } catch (error) {
    if (!isBusyError(error)) console.error(`${what} could not be written`, error)
    return false
  }
}
