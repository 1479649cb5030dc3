import { describe, expect, it } from 'vitest'
import { ActivationGraphCache } from '../../../native-models/engine/jobs/activation-stats/graph-cache.ts'
import type { PreparedActivationGraph } from '../../../native-models/engine/jobs/activation-stats/graph-cache.ts'
import { drawSamplePositions } from '../../../native-models/engine/jobs/activation-stats/sampling.ts'
import { SeededRandom } from '../../../native-models/surgery/prng.ts'

function counting(): { build: () => Promise<PreparedActivationGraph>; builds: () => number } {
  let count = 0
  const build = (): Promise<PreparedActivationGraph> => {
    count += 1
    return Promise.resolve({ bytes: Uint8Array.of(count) } as unknown as PreparedActivationGraph)
  }
  return { build, builds: () => count }
}

describe('the statistics graph cache', () => {
  it('builds once per model hash and tap list', async () => {
    const cache = new ActivationGraphCache(2)
    const { build, builds } = counting()
    const first = await cache.get('sha-a', null, build)
    expect(await cache.get('sha-a', null, build)).toBe(first)
    await cache.get('sha-a', ['layer1.0'], build)
    expect(builds()).toBe(2)
  })

  it('forgets the least recently used graph beyond its capacity', async () => {
    const cache = new ActivationGraphCache(2)
    const { build, builds } = counting()
    await cache.get('a', null, build)
    await cache.get('b', null, build)
    await cache.get('a', null, build)
    await cache.get('c', null, build)
    expect(cache.size).toBe(2)
    await cache.get('a', null, build)
    expect(builds()).toBe(3)
    await cache.get('b', null, build)
    expect(builds()).toBe(4)
  })

  it('does not keep a build that failed', async () => {
    const cache = new ActivationGraphCache(2)
    await expect(
      cache.get('a', null, () => Promise.reject(new Error('bad model'))),
    ).rejects.toThrow('bad model')
    expect(cache.size).toBe(0)
  })
})

describe('histogram sample draws', () => {
  it('are seeded 53-bit integers, the same for the same seed', () => {
    const draws = drawSamplePositions(new SeededRandom(9, 'x'), 1000)
    expect(Array.from(draws)).toEqual(
      Array.from(drawSamplePositions(new SeededRandom(9, 'x'), 1000)),
    )
    expect(draws.every((draw) => draw >= 0n && draw < 1n << 53n)).toBe(true)
    expect(draws.some((draw) => draw >= 1n << 52n)).toBe(true)
  })

  it('land uniformly on positions modulo a size', () => {
    const counts = new Array<number>(10).fill(0)
    for (const draw of drawSamplePositions(new SeededRandom(1), 100_000))
      counts[Number(draw % 10n)] += 1
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500)
  })
})
