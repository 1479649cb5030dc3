import { describe, expect, it } from 'vitest'
import { JobRegistry } from '../../../native-models/engine/job-registry.ts'
import { workbenchJobs } from '../../../native-models/engine/job-kinds.ts'

describe('JobRegistry', () => {
  it('loads a handler only when its kind is first asked for', async () => {
    let loads = 0
    const handler = () => Promise.reject(new Error('not run'))
    const registry = new JobRegistry().registerAny('probe', () => {
      loads += 1
      return Promise.resolve(handler)
    })
    expect(loads).toBe(0)
    expect(await registry.handlerFor('probe')).toBe(handler)
    expect(loads).toBe(1)
  })

  it('refuses an unknown kind with INVALID_ARGUMENT and lists the known ones', async () => {
    const error: unknown = await workbenchJobs()
      .handlerFor('cka')
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message:
        "The engine has no job kind 'cka'; it knows evaluate, activation-stats, cka-grams, weight-noise, probes, t3a, gradients, weight-geometry, compression.",
    })
  })
})
