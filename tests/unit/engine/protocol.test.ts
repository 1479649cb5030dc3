import { describe, expect, it } from 'vitest'
import { isFromEngine, isToEngine } from '../../../native-models/engine/protocol.ts'

describe('protocol guards', () => {
  it('accept every message the protocol defines', () => {
    expect(isToEngine({ type: 'start', jobId: 1, job: { request: { kind: 'evaluate' } } })).toBe(
      true,
    )
    expect(isToEngine({ type: 'cancel', jobId: 1 })).toBe(true)
    expect(isFromEngine({ type: 'ready', pid: 42 })).toBe(true)
    const progress = { stage: 'inference', done: 1, total: 4 }
    expect(isFromEngine({ type: 'progress', jobId: 1, progress, longestStepMs: 800 })).toBe(true)
    expect(isFromEngine({ type: 'done', jobId: 1, outcome: { status: 'cancelled' } })).toBe(true)
  })

  it('reject messages without a job id, of unknown types, or not objects at all', () => {
    expect(isToEngine({ type: 'cancel' })).toBe(false)
    expect(isToEngine({ type: 'start', jobId: 1 })).toBe(false)
    expect(isToEngine({ type: 'pause', jobId: 1 })).toBe(false)
    expect(isFromEngine({ type: 'done', jobId: 1 })).toBe(false)
    expect(isFromEngine({ type: 'ready' })).toBe(false)
    expect(isFromEngine('ready')).toBe(false)
    expect(isFromEngine(null)).toBe(false)
  })
})
