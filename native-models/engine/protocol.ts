// Messages between a host (Electron main, web host, CLI) and the engine process. Structured-clone
// serializable: typed arrays cross as they are (utilityProcess, fork with serialization 'advanced').
import type { IpcError } from '../../electron/api/contract/index.ts'
import type { JobOutput, JobProgress, ResolvedJob } from './job-types.ts'

export type ToEngine =
  { type: 'start'; jobId: number; job: ResolvedJob } | { type: 'cancel'; jobId: number }

/** How a job ended, as the job manager stores it. */
export type EngineOutcome =
  | { status: 'done'; output: JobOutput<unknown> }
  | { status: 'failed'; error: IpcError }
  | { status: 'cancelled' }

export type FromEngine =
  | { type: 'ready'; pid: number }
  | {
      type: 'progress'
      jobId: number
      progress: JobProgress
      /** Longest time between two reports so far: how long the engine can be deaf to a cancel. */
      longestStepMs: number
    }
  | { type: 'done'; jobId: number; outcome: EngineOutcome }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

export function isToEngine(value: unknown): value is ToEngine {
  if (!isRecord(value) || typeof value.jobId !== 'number') return false
  if (value.type === 'cancel') return true
  return value.type === 'start' && isRecord(value.job) && isRecord(value.job.request)
}

export function isFromEngine(value: unknown): value is FromEngine {
  if (!isRecord(value)) return false
  switch (value.type) {
    case 'ready':
      return typeof value.pid === 'number'
    case 'progress':
      return typeof value.jobId === 'number' && isRecord(value.progress)
    case 'done':
      return typeof value.jobId === 'number' && isRecord(value.outcome)
    default:
      return false
  }
}
