import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { defaultIntraOpThreads, THREADS_ENV } from '../../../native-models/runtime/threads.ts'

describe('defaultIntraOpThreads', () => {
  it('uses one thread per available core', () => {
    expect(defaultIntraOpThreads({})).toBe(availableParallelism())
  })

  it('follows a positive integer pinned in the environment and ignores anything else', () => {
    expect(defaultIntraOpThreads({ [THREADS_ENV]: '1' })).toBe(1)
    expect(defaultIntraOpThreads({ [THREADS_ENV]: 'two' })).toBe(availableParallelism())
    expect(defaultIntraOpThreads({ [THREADS_ENV]: '0' })).toBe(availableParallelism())
  })
})
