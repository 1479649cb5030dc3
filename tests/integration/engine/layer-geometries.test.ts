// The weight-geometry job's schedule: Grams in this thread, eigenvalues in worker threads.
import { afterEach, describe, expect, it } from 'vitest'
import { javascriptProducts } from '../../../native-models/analysis/linear-algebra/dense-products.ts'
import type { DenseProducts } from '../../../native-models/analysis/linear-algebra/dense-products.ts'
import {
  geometryFromGrams,
  layerGrams,
} from '../../../native-models/analysis/weight-geometry/index.ts'
import type { JobProgress } from '../../../native-models/engine/job-types.ts'
import { EigenvaluePool } from '../../../native-models/engine/jobs/weight-geometry/eigenvalue-pool.ts'
import { layerGeometries } from '../../../native-models/engine/jobs/weight-geometry/layer-geometries.ts'
import type { WeightMatrix } from '../../../native-models/engine/jobs/weight-geometry/layer-geometries.ts'
import { SeededRandom } from '../../../native-models/surgery/prng.ts'

const pools: EigenvaluePool[] = []
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()))
})

function pool(script?: URL): EigenvaluePool {
  const created = new EigenvaluePool(2, script)
  pools.push(created)
  return created
}

function weight(filtersFirst: number[], seed: number): WeightMatrix {
  const values = new Float32Array(filtersFirst.reduce((a, b) => a * b, 1))
  new SeededRandom(seed, 'layer-geometries').fillNormal(values, 0, 0.1)
  return { values, filtersFirst }
}

// Depth order as in a network; the largest eigenproblems (order 24 and 32) come late.
const weights = [
  weight([8, 3, 3, 3], 1),
  weight([16, 8, 1, 1], 2),
  weight([32, 16, 3, 3], 3),
  weight([64, 24, 1, 1], 4),
  weight([10, 64], 5),
]

function context(signal = new AbortController().signal) {
  const progress: JobProgress[] = []
  return { progress, context: { signal, report: (p: JobProgress) => progress.push(p) } }
}

describe('layer geometries', () => {
  it('gives every weight, in its own order, the geometry found in a single thread', async () => {
    const { progress, context: job } = context()
    const result = await layerGeometries(weights, javascriptProducts, pool(), job)
    for (const [i, w] of weights.entries()) {
      const grams = await layerGrams(w.values, w.filtersFirst, javascriptProducts)
      expect(result.geometries[i]).toEqual(geometryFromGrams(grams))
    }
    expect(progress.map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5])
    expect(progress.every((p) => p.total === weights.length)).toBe(true)
    expect(result.gramsMs).toBeGreaterThan(0)
    expect(result.eigenMs).toBeGreaterThan(0)
  })

  it('stops forming Grams once aborted, with eigenproblems still outstanding', async () => {
    const controller = new AbortController()
    const { context: job } = context(controller.signal)
    let products = 0
    const abortingOnThird: DenseProducts = {
      ...javascriptProducts,
      crossProduct: (x, m, d) => {
        products += 1
        if (products === 3) controller.abort()
        return javascriptProducts.crossProduct(x, m, d)
      },
    }
    const workers = pool()
    await expect(layerGeometries(weights, abortingOnThird, workers, job)).rejects.toThrow(/aborted/)
    expect(products).toBe(3)
    await workers.close() // what the job does on abort: the outstanding problems reject, handled
  })

  it('fails with the reason a worker gives for an eigenproblem', async () => {
    const failing = new URL(
      `data:text/javascript,${encodeURIComponent(`
        import { parentPort } from 'node:worker_threads'
        parentPort.on('message', (task) => parentPort.postMessage({ id: task.id, error: 'not PSD' }))
      `)}`,
    )
    const { context: job } = context()
    await expect(layerGeometries(weights, javascriptProducts, pool(failing), job)).rejects.toThrow(
      /The eigenvalues of a \d+×\d+ Gram could not be found: not PSD\./,
    )
  })
})
