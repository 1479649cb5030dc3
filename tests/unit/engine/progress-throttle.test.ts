import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ProgressThrottle } from '../../../native-models/engine/progress-throttle.ts'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('ProgressThrottle', () => {
  it('sends the first value at once and then at most one per interval, the latest each time', () => {
    const sent: number[] = []
    const throttle = new ProgressThrottle<number>((value) => sent.push(value), 100)
    for (let i = 1; i <= 50; i++) {
      throttle.push(i)
      vi.advanceTimersByTime(10)
    }
    vi.advanceTimersByTime(100)
    expect(sent[0]).toBe(1)
    expect(sent.at(-1)).toBe(50)
    expect(sent.length).toBeGreaterThanOrEqual(5)
    expect(sent.length).toBeLessThanOrEqual(6)
  })

  it('sends a held value on flush, so the final state is never lost', () => {
    const sent: string[] = []
    const throttle = new ProgressThrottle<string>((value) => sent.push(value), 100)
    throttle.push('1/3')
    throttle.push('2/3')
    throttle.push('3/3')
    throttle.flush()
    vi.advanceTimersByTime(500)
    expect(sent).toEqual(['1/3', '3/3'])
  })

  it('drops a held value on stop', () => {
    const sent: number[] = []
    const throttle = new ProgressThrottle<number>((value) => sent.push(value), 100)
    throttle.push(1)
    throttle.push(2)
    throttle.stop()
    vi.advanceTimersByTime(500)
    expect(sent).toEqual([1])
  })
})
