import { describe, expect, it } from 'vitest'
import { SessionCache } from '../../../native-models/runtime/session-cache.ts'
import type { RuntimeSession, SessionOptions } from '../../../native-models/runtime/session.ts'

interface FakeSession extends RuntimeSession {
  readonly id: number
  isReleased: boolean
}

function fakeOpener() {
  const opened: { session: FakeSession; options: SessionOptions }[] = []
  const open = (_bytes: Uint8Array, options: SessionOptions): Promise<RuntimeSession> => {
    const session = {
      id: opened.length,
      isReleased: false,
      release: () => {
        session.isReleased = true
        return Promise.resolve()
      },
    } as FakeSession
    opened.push({ session, options })
    return Promise.resolve(session)
  }
  return { open, opened }
}

const MODEL_A = new Uint8Array([1, 2, 3])
const MODEL_B = new Uint8Array([4, 5, 6])
const MODEL_C = new Uint8Array([7, 8, 9])

describe('SessionCache', () => {
  it('reuses the session for the same model bytes and options', async () => {
    const { open, opened } = fakeOpener()
    const cache = new SessionCache({ open })
    const first = await cache.acquire(MODEL_A, { provider: 'cpu', intraOpNumThreads: 1 })
    await first.release()
    const second = await cache.acquire(new Uint8Array(MODEL_A), { intraOpNumThreads: 1 })
    expect(second.session).toBe(first.session)
    expect([first.wasCached, second.wasCached]).toEqual([false, true])
    expect(opened).toHaveLength(1)
  })

  it('opens a new session when the provider or the thread count differs', async () => {
    const { open, opened } = fakeOpener()
    const cache = new SessionCache({ open })
    await cache.acquire(MODEL_A, { provider: 'cpu', intraOpNumThreads: 1 })
    await cache.acquire(MODEL_A, { provider: 'auto', intraOpNumThreads: 1 })
    await cache.acquire(MODEL_A, { provider: 'cpu', intraOpNumThreads: 2 })
    expect(opened.map(({ options }) => [options.provider, options.intraOpNumThreads])).toEqual([
      ['cpu', 1],
      ['auto', 1],
      ['cpu', 2],
    ])
  })

  it('keeps sessions with and without the memory pattern apart', async () => {
    const { open, opened } = fakeOpener()
    const cache = new SessionCache({ open })
    await cache.acquire(MODEL_A, { intraOpNumThreads: 1 })
    await cache.acquire(MODEL_A, { intraOpNumThreads: 1, memoryPattern: false })
    await cache.acquire(MODEL_A, { intraOpNumThreads: 1, memoryPattern: true })
    expect(opened.map(({ options }) => options.memoryPattern)).toEqual([true, false])
  })

  it('records placement by default, so every cached session can report it', async () => {
    const { open, opened } = fakeOpener()
    await new SessionCache({ open }).acquire(MODEL_A)
    expect(opened[0]?.options.recordPlacement).toBe(true)
  })

  it('releases the least recently used idle session when over capacity', async () => {
    const { open, opened } = fakeOpener()
    const cache = new SessionCache({ open, capacity: 2 })
    for (const model of [MODEL_A, MODEL_B, MODEL_A, MODEL_C]) {
      await (await cache.acquire(model)).release()
    }
    expect(opened.map(({ session }) => session.isReleased)).toEqual([false, true, false])
    expect(cache.size).toBe(2)
  })

  it('never releases a session a job still holds, and evicts it once given back', async () => {
    const { open, opened } = fakeOpener()
    const cache = new SessionCache({ open, capacity: 1 })
    const held = await cache.acquire(MODEL_A)
    const other = await cache.acquire(MODEL_B)
    expect(opened.map(({ session }) => session.isReleased)).toEqual([false, false])
    await Promise.all([held.release(), held.release()])
    expect(opened.map(({ session }) => session.isReleased)).toEqual([true, false])
    await other.release()
    expect(cache.size).toBe(1)
  })

  it('forgets a session that failed to open, so the next acquire tries again', async () => {
    let attempts = 0
    const cache = new SessionCache({
      open: () => Promise.reject(new Error(`attempt ${++attempts}`)),
    })
    await expect(cache.acquire(MODEL_A)).rejects.toThrow('attempt 1')
    await expect(cache.acquire(MODEL_A)).rejects.toThrow('attempt 2')
    expect(cache.size).toBe(0)
  })

  it('releases everything on clear', async () => {
    const { open, opened } = fakeOpener()
    const cache = new SessionCache({ open })
    await (await cache.acquire(MODEL_A)).release()
    await cache.acquire(MODEL_B)
    await cache.clear()
    expect(opened.every(({ session }) => session.isReleased)).toBe(true)
    expect(cache.size).toBe(0)
  })
})
