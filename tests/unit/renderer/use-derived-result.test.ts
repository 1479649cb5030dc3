import { afterAll, describe, expect, it } from 'vitest'
import { effectScope, nextTick } from 'vue'
import type {
  CkaRequest,
  CkaResult,
  CkaStart,
  JobInfo,
  WorkbenchApi,
} from '../../../electron/api/contract/index.ts'
import { useDerivedResult } from '../../../renderer/src/composables/use-derived-result.ts'

// A host that answers cka:compute from a script and lets the test send job:progress events.
const answers: CkaStart[] = []
const asked: unknown[] = []
const listeners = new Set<(job: JobInfo) => void>()
const host = {
  invoke: (channel: string, ...args: unknown[]) => {
    if (channel === 'job:list') return Promise.resolve({ ok: true, value: [] })
    if (channel === 'result:list') return Promise.resolve({ ok: true, value: [] })
    asked.push(args[0])
    return Promise.resolve({ ok: true, value: answers.shift() })
  },
  on: (_event: string, listener: (job: JobInfo) => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
} as unknown as WorkbenchApi
;(globalThis as { window?: unknown }).window = { workbench: host }
afterAll(() => delete (globalThis as { window?: unknown }).window)

function job(id: number, status: JobInfo['status']): JobInfo {
  return {
    id,
    kind: 'cka-grams',
    status,
    stage: 'inference',
    done: status === 'done' ? 4 : 1,
    total: 4,
    rate: null,
    etaMs: null,
    error: null,
    resultId: status === 'done' ? 100 + id : null,
    createdAt: '',
    startedAt: null,
    finishedAt: null,
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await nextTick()
}
const result = { n: 16 } as unknown as CkaResult
const request = { kind: 'within', checkpointIds: [1] } as unknown as CkaRequest

describe('a derived result', () => {
  it('follows the jobs it needs, then asks again and holds the answer', async () => {
    answers.push({ result: null, jobs: [job(1, 'queued')] }, { result, jobs: [] })
    const scope = effectScope()
    const derived = scope.run(() => useDerivedResult('cka:compute'))!
    derived.start([request])
    await settle()
    expect(derived.phase.value).toBe('waiting')
    expect(derived.busy.value).toBe(true)
    for (const listener of listeners) listener(job(1, 'running'))
    await settle()
    expect(derived.jobs.value[0].status).toBe('running')
    for (const listener of listeners) listener(job(1, 'done'))
    await settle()
    expect(derived.phase.value).toBe('done')
    expect(derived.result.value).toBe(result)
    expect(asked).toEqual([request, request])
    scope.stop()
  })

  it('stops with the error of a job that was cancelled', async () => {
    answers.push({ result: null, jobs: [job(2, 'running')] })
    const scope = effectScope()
    const derived = scope.run(() => useDerivedResult('cka:compute'))!
    derived.start([request])
    await settle()
    for (const listener of listeners) listener(job(2, 'cancelled'))
    await settle()
    expect(derived.phase.value).toBe('failed')
    expect(derived.error.value).toBe('The CKA Grams job #2 was cancelled before the end.')
    expect(derived.results.value).toEqual([])
    scope.stop()
  })
})
