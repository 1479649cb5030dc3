// The straightforward approach, run as its own process so its peak RSS is its own: copy every
// tap's activations out of ORT for all N images, keep them, then compute each tap's N×N centered
// Gram (ORT: the Gram-only graph) and the 18×18 CKA (float64, native-models/analysis/cka.ts).
// Argument: CopyOutArgs as JSON. Output: one line of CopyOutResult JSON on stdout.
import { ckaMatrix } from '../../native-models/analysis/cka/cka.ts'
import type { CkaValue } from '../../native-models/analysis/cka/cka.ts'
import { createBatchLoader, openDataset } from '../../native-models/data/index.ts'
import {
  datasetInOrder,
  pinnedBatchOrder,
} from '../../native-models/engine/jobs/cka/batch-order.ts'
import { createSession } from '../../native-models/runtime/index.ts'
import { ckaDataset, PREPROCESSING } from './cka-fixtures.ts'
import { benchGraphs, GRAM_ONLY_INPUT, gramOnlyModel } from './cka-graphs.ts'
import type { CopyOutArgs, CopyOutResult } from './cka-copy-out.ts'
import { peakRssBytes } from './process-memory.ts'

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined)
const now = (): number => performance.now() / 1000

/** Forward passes over the pinned order; each tap's batch output is copied into one [N, p] array. */
async function copyOut(args: CopyOutArgs): Promise<{
  stored: Float32Array[]
  keys: string[]
  features: number[]
  batches: number
  orderSha256: string
}> {
  const graphs = await benchGraphs(args.modelPath)
  const selection = await openDataset(ckaDataset(args.fixture, args.images))
  const order = pinnedBatchOrder(selection.size, args.n, args.orderSeed)
  const loader = createBatchLoader(datasetInOrder(selection, order), {
    preprocessing: PREPROCESSING,
    batchSize: args.n,
  })
  const session = await createSession(graphs.tapGraph.bytes, { provider: 'cpu' })
  const total = order.positions.length
  const stored: Float32Array[] = []
  const features: number[] = []
  let offset = 0
  try {
    for await (const batch of loader) {
      const feeds = { [graphs.input]: { data: batch.images, dims: batch.dims } }
      const outputs = await session.run(feeds, graphs.tapGraph.outputs)
      graphs.tapGraph.outputs.forEach((name, t) => {
        const data = outputs[name].data
        const p = data.length / batch.dims[0]
        stored[t] ??= new Float32Array(total * p)
        features[t] ??= p
        stored[t].set(data, offset * p)
      })
      offset += batch.dims[0]
      gc() // let the batch's output buffers go now, not at V8's leisure
    }
  } finally {
    await loader.close()
    await session.release()
  }
  if (offset !== total) throw new Error(`Copied ${offset} images, expected ${total}.`)
  const keys = graphs.taps.map((tap) => tap.key)
  return { stored, keys, features, batches: order.batches, orderSha256: order.sha256 }
}

async function fullGrams(stored: Float32Array[], features: number[]): Promise<Float32Array[]> {
  const session = await createSession(gramOnlyModel(), { provider: 'cpu' })
  try {
    const grams: Float32Array[] = []
    for (const [t, data] of stored.entries()) {
      const rows = data.length / features[t]
      const out = await session.run({
        [GRAM_ONLY_INPUT]: { data, dims: [rows, features[t]] },
      })
      grams.push(Object.values(out)[0].data)
      gc()
    }
    return grams
  } finally {
    await session.release()
  }
}

/** The n×n diagonal block b of an N×N row-major Gram. */
function diagonalBlock(gram: Float32Array, size: number, n: number, b: number): Float32Array {
  const block = new Float32Array(n * n)
  for (let i = 0; i < n; i++) {
    const row = (b * n + i) * size + b * n
    block.set(gram.subarray(row, row + n), i * n)
  }
  return block
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as CopyOutArgs
  const startedAt = now()
  const copied = await copyOut(args)
  const copiedAt = now()
  const grams = await fullGrams(copied.stored, copied.features)
  const gramsAt = now()
  const size = args.images
  const full = { n: size, grams: grams.map((g) => [g]) }
  const blocks = {
    n: args.n,
    grams: grams.map((g) =>
      Array.from({ length: copied.batches }, (_, b) => diagonalBlock(g, size, args.n, b)),
    ),
  }
  const matrices: Record<string, CkaValue[][]> = {
    linear: ckaMatrix(full, full, 'linear'),
    debiased: ckaMatrix(full, full, 'debiased'),
    minibatch: ckaMatrix(blocks, blocks, 'minibatch'),
  }
  const ckaAt = now()
  const result: CopyOutResult = {
    ...{ images: size, n: args.n, batches: copied.batches, orderSha256: copied.orderSha256 },
    taps: copied.keys.map((key, t) => ({ key, features: copied.features[t] })),
    storedBytes: copied.stored.reduce((sum, a) => sum + a.byteLength, 0),
    seconds: {
      forwardAndCopy: copiedAt - startedAt,
      grams: gramsAt - copiedAt,
      cka: ckaAt - gramsAt,
      inProcess: ckaAt - startedAt,
    },
    peakRssBytes: peakRssBytes(process.pid),
    matrices,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
