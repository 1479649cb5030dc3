import { computed, shallowReactive } from 'vue'
import type { JobInfo, JobRequest, JobStart } from '../../../electron/api/contract/index.ts'
import { call, subscribe } from '../api/client.ts'

const FINISHED = new Set<JobInfo['status']>(['done', 'failed', 'cancelled'])

const state = shallowReactive({
  jobs: new Map<number, JobInfo>(),
  /** Job → checkpoint: JobInfo does not name it; known for jobs started here or stored results. */
  checkpoints: new Map<number, number | null>(),
  loadError: '',
})

type ResultListener = (resultId: number, job: JobInfo) => void
const resultListeners = new Set<ResultListener>()
let started = false

function put(job: JobInfo, isSnapshot = false): void {
  const previous = state.jobs.get(job.id)
  // Events can overtake the job:list answer; never let an older snapshot replace a finished job.
  if (previous && FINISHED.has(previous.status) && !FINISHED.has(job.status)) return
  const jobs = new Map(state.jobs)
  jobs.set(job.id, job)
  state.jobs = jobs
  if (
    !isSnapshot &&
    job.status === 'done' &&
    job.resultId !== null &&
    previous?.status !== 'done'
  ) {
    if (!state.checkpoints.has(job.id)) void learnCheckpointsFromResults()
    for (const listener of resultListeners) listener(job.resultId, job)
  }
}

/** Loads the jobs the workspace knows and follows job:progress; call once from the shell. */
export function startJobTracking(): void {
  if (started) return
  started = true
  subscribe('job:progress', (job) => put(job))
  call('job:list')
    .then((jobs) => {
      for (const job of jobs) if (!state.jobs.has(job.id)) put(job, true)
      return learnCheckpointsFromResults()
    })
    .catch((error: unknown) => {
      state.loadError = error instanceof Error ? error.message : String(error)
    })
}

/** Newest first. */
export const jobList = computed(() => [...state.jobs.values()].sort((a, b) => b.id - a.id))
export const activeJobCount = computed(
  () => jobList.value.filter((job) => !FINISHED.has(job.status)).length,
)
export const jobsLoadError = computed(() => state.loadError)

/** The checkpoint a job runs on; undefined while unknown (a job another process started). */
export function jobCheckpoint(jobId: number): number | null | undefined {
  return state.checkpoints.get(jobId)
}

export function isFinished(job: JobInfo): boolean {
  return FINISHED.has(job.status)
}

/** Calls fn whenever a job of this workspace stores its result; returns the unsubscribe. */
export function onResultStored(fn: ResultListener): () => void {
  resultListeners.add(fn)
  return () => resultListeners.delete(fn)
}

function rememberCheckpoints(entries: [number, number | null][]): void {
  const checkpoints = new Map(state.checkpoints)
  for (const [jobId, checkpointId] of entries) checkpoints.set(jobId, checkpointId)
  state.checkpoints = checkpoints
}

function remember(start: JobStart, checkpointId: number | null): JobStart {
  if (start.job) {
    rememberCheckpoints([[start.job.id, checkpointId]])
    put(start.job)
  }
  return start
}

/** Names the checkpoints of finished jobs from the stored results that point back to them. */
async function learnCheckpointsFromResults(): Promise<void> {
  const summaries = await call('result:list', {}).catch(() => [])
  rememberCheckpoints(
    summaries.flatMap((r) =>
      r.jobId === null ? [] : [[r.jobId, r.checkpointId] as [number, number | null]],
    ),
  )
}

/** job:start, keeping the checkpoint for the jobs panel. */
export async function startJob(request: JobRequest): Promise<JobStart> {
  return remember(await call('job:start', request), request.checkpointId)
}

/** result:recompute, keeping the checkpoint of the result it replaces. */
export async function recomputeResult(
  resultId: number,
  checkpointId: number | null,
): Promise<JobStart> {
  return remember(await call('result:recompute', resultId), checkpointId)
}

export async function cancelJob(jobId: number): Promise<void> {
  await call('job:cancel', jobId)
}
