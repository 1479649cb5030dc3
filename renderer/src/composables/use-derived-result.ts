import { computed, onScopeDispose, shallowRef, watch } from 'vue'
import { JOB_KINDS } from '../../../electron/api/contract/index.ts'
import type {
  DerivedStart,
  InvokeChannel,
  InvokeMap,
  JobInfo,
} from '../../../electron/api/contract/index.ts'
import { call } from '../api/client.ts'
import { jobList, onResultStored, startJobTracking } from '../stores/jobs.ts'

/** The channels that answer with a result derived from stored job results, such as 'cka:compute'. */
export type DerivedChannel = {
  [C in InvokeChannel]: ReturnType<InvokeMap[C]> extends DerivedStart<unknown> ? C : never
}[InvokeChannel]
export type DerivedRequest<C extends DerivedChannel> = Parameters<InvokeMap[C]>[0]
export type DerivedResult<C extends DerivedChannel> =
  ReturnType<InvokeMap[C]> extends DerivedStart<infer R> ? R : never

/** starting: asking; waiting: the jobs it needs are running; done: `results` holds the answers. */
export type DerivedPhase = 'idle' | 'starting' | 'waiting' | 'done' | 'failed'

const isStopped = (job: JobInfo): boolean => job.status === 'failed' || job.status === 'cancelled'

/**
 * A result derived from stored job results (CKA from stored Grams): `start` asks the channel for
 * each request; while answers name jobs, it follows them in the jobs store (their rows show the
 * progress) and asks again once every one is stored. It stops at the first job that fails.
 */
export function useDerivedResult<C extends DerivedChannel>(channel: C) {
  type Result = DerivedResult<C>
  startJobTracking()
  const results = shallowRef<Result[]>([])
  const waitingFor = shallowRef<JobInfo[]>([])
  const phase = shallowRef<DerivedPhase>('idle')
  const error = shallowRef('')
  let asked: DerivedRequest<C>[] | null = null

  /** The jobs it waits for, live (job:progress), else as the channel answered. */
  const jobs = computed(() =>
    waitingFor.value.map((job) => jobList.value.find((j) => j.id === job.id) ?? job),
  )
  const result = computed(() => results.value[0] ?? null)
  const busy = computed(() => phase.value === 'starting' || phase.value === 'waiting')

  async function ask(requests: DerivedRequest<C>[]): Promise<void> {
    phase.value = 'starting'
    error.value = ''
    try {
      const answers: Result[] = []
      const pending = new Map<number, JobInfo>()
      for (const request of requests) {
        const args = [request] as Parameters<InvokeMap[C]>
        const start = (await call(channel, ...args)) as DerivedStart<Result>
        if (start.result) answers.push(start.result)
        for (const job of start.jobs) pending.set(job.id, job)
      }
      if (requests !== asked) return
      if (pending.size > 0) {
        waitingFor.value = [...pending.values()]
        phase.value = 'waiting'
        check()
        return
      }
      results.value = answers
      phase.value = 'done'
    } catch (e) {
      if (requests !== asked) return
      error.value = e instanceof Error ? e.message : String(e)
      phase.value = 'failed'
    }
  }

  function check(): void {
    if (phase.value !== 'waiting' || !asked) return
    const stopped = jobs.value.find(isStopped)
    if (stopped) {
      const kind = JOB_KINDS[stopped.kind]?.label ?? stopped.kind
      error.value =
        stopped.error?.message ??
        `The ${kind} job #${stopped.id} was ${stopped.status} before the end.`
      phase.value = 'failed'
      return
    }
    if (jobs.value.every((j) => j.status === 'done')) void ask(asked)
  }

  watch(jobList, check)
  onScopeDispose(onResultStored(() => check()))

  /** Asks for every request (answers in their order); a later start replaces an earlier one. */
  function start(requests: readonly DerivedRequest<C>[]): void {
    asked = [...requests]
    results.value = []
    waitingFor.value = []
    void ask(asked)
  }

  return { start, results, result, jobs, phase, error, busy }
}
