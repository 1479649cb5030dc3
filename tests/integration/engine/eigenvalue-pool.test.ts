// The weight-geometry job's eigenvalue workers: real worker threads running psdEigenvalues.
import { afterEach, describe, expect, it } from 'vitest'
import { crossProductJs } from '../../../native-models/analysis/linear-algebra/dense-products.ts'
import { psdEigenvalues } from '../../../native-models/analysis/linear-algebra/symmetric-eigenvalues.ts'
import { EigenvaluePool } from '../../../native-models/engine/jobs/weight-geometry/eigenvalue-pool.ts'
import { SeededRandom } from '../../../native-models/surgery/prng.ts'

const pools: EigenvaluePool[] = []
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()))
})

function pool(size: number, script?: URL): EigenvaluePool {
  const created = new EigenvaluePool(size, script)
  pools.push(created)
  return created
}

/** XᵀX of a seeded rows×order Gaussian X: a PSD order×order Gram. */
function gram(order: number, rows: number, seed: number): Float64Array {
  const x = new SeededRandom(seed, 'eigenvalue-pool').fillNormal(
    new Float32Array(rows * order),
    0,
    1,
  )
  return crossProductJs(x, rows, order)
}

/** A worker script given as a data: URL (Node runs it as an ES module). */
function script(source: string): URL {
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`)
}

describe('the eigenvalue pool', () => {
  it('returns exactly the eigenvalues this thread finds, for problems spread over two workers', async () => {
    const grams = [gram(40, 60, 1), gram(7, 3, 2), gram(25, 25, 3), gram(1, 4, 4), gram(33, 20, 5)]
    const expected = grams.map((g) => psdEigenvalues(g, Math.sqrt(g.length)))
    const workers = pool(2)
    const results = await Promise.all(
      grams.map((g) => workers.eigenvalues(g.slice(), Math.sqrt(g.length))),
    )
    results.forEach((result, i) => {
      expect(Array.from(result.values)).toEqual(Array.from(expected[i]))
      expect(result.elapsedMs).toBeGreaterThanOrEqual(0)
    })
  })

  it('moves a Gram that owns its buffer to the worker and copies a view into a larger one', async () => {
    const workers = pool(1)
    const owned = gram(6, 9, 6)
    const values = await workers.eigenvalues(owned, 6)
    expect(owned).toHaveLength(0)
    expect(values.values).toHaveLength(6)

    const backing = new Float64Array(1 + 36)
    backing.set(gram(6, 9, 6), 1)
    const view = backing.subarray(1)
    const fromView = await workers.eigenvalues(view, 6)
    expect(view).toHaveLength(36)
    expect(Array.from(fromView.values)).toEqual(Array.from(values.values))
  })

  it('refuses a Gram whose length is not order²', async () => {
    await expect(pool(1).eigenvalues(new Float64Array(10), 3)).rejects.toThrow(
      'A 3×3 Gram holds 9 values, got 10.',
    )
  })

  it('fails a problem with the reason its worker gives', async () => {
    const replyingError = script(`
      import { parentPort } from 'node:worker_threads'
      parentPort.on('message', (task) => parentPort.postMessage({ id: task.id, error: 'no convergence' }))
    `)
    await expect(pool(1, replyingError).eigenvalues(gram(4, 4, 7), 4)).rejects.toThrow(
      'The eigenvalues of a 4×4 Gram could not be found: no convergence.',
    )
  })

  it('fails every outstanding problem of a worker that throws, and keeps using the others', async () => {
    const throwing = script(`
      import { parentPort } from 'node:worker_threads'
      parentPort.on('message', () => { throw new Error('worker broke') })
    `)
    const workers = pool(1, throwing)
    const failed = [workers.eigenvalues(gram(3, 3, 8), 3), workers.eigenvalues(gram(3, 3, 9), 3)]
    for (const problem of failed) {
      await expect(problem).rejects.toThrow('An eigenvalue worker thread failed: worker broke.')
    }
    await expect(workers.eigenvalues(gram(3, 3, 10), 3)).rejects.toThrow(
      'Every eigenvalue worker has exited.',
    )
  })

  it('rejects what is outstanding when closed, and anything asked afterwards', async () => {
    const silent = script(
      `import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => {})`,
    )
    const workers = pool(2, silent)
    const outstanding = expect(workers.eigenvalues(gram(5, 5, 11), 5)).rejects.toThrow(
      'The eigenvalue pool was closed.',
    )
    await workers.close()
    await outstanding
    await expect(workers.eigenvalues(gram(5, 5, 12), 5)).rejects.toThrow(
      'The eigenvalue pool is closed.',
    )
  })

  it('refuses a worker count that is not a positive integer', () => {
    expect(() => new EigenvaluePool(0)).toThrow('Worker count 0 is not a positive integer.')
  })
})
