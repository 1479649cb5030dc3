// The Gram share, measured on one batch of n images in this process with the engine's session
// settings: the plain forward pass, the Gram job's graph (forward + 18 centered Grams), and the 18
// centered Grams alone (a Gram-only graph fed the batch's tap activations).
import { openDataset, createBatchLoader } from '../../native-models/data/index.ts'
import type { Batch } from '../../native-models/data/index.ts'
import { createSession } from '../../native-models/runtime/index.ts'
import type { RuntimeSession, SessionOptions } from '../../native-models/runtime/index.ts'
import { ckaDataset, GRAM_BATCH, PREPROCESSING } from './cka-fixtures.ts'
import type { CkaFixture } from './cka-fixtures.ts'
import { GRAM_ONLY_INPUT, gramOnlyModel } from './cka-graphs.ts'
import type { BenchGraphs } from './cka-graphs.ts'

export interface TapGramTime {
  key: string
  /** C·H·W per image. */
  features: number
  seconds: number
}

export interface GramShare {
  n: number
  repeats: number
  /** Median seconds per batch of the plain model (logits). */
  forwardSeconds: number
  /** Median seconds per batch of the Gram job's graph (Grams and shapes of the 18 taps). */
  gramGraphSeconds: number
  /** Σ over taps of the median seconds of the Gram-only graph on that tap's [n, C·H·W]. */
  gramsOnlySeconds: number
  perTap: TapGramTime[]
  /** (gramGraph − forward) / gramGraph. */
  shareByDifference: number
  /** gramsOnly / gramGraph. */
  shareGramsOnly: number
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now()
  await run()
  return (performance.now() - startedAt) / 1000
}

async function firstBatch(fixture: CkaFixture): Promise<Batch> {
  const dataset = await openDataset(ckaDataset(fixture, GRAM_BATCH))
  const loader = createBatchLoader(dataset, { preprocessing: PREPROCESSING, batchSize: GRAM_BATCH })
  try {
    for await (const batch of loader) return batch
    throw new Error('The NPY dataset gave no batch.')
  } finally {
    await loader.close()
  }
}

async function withSession<T>(
  model: string | Uint8Array,
  use: (session: RuntimeSession) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> {
  const session = await createSession(model, { provider: 'cpu', ...options })
  try {
    return await use(session)
  } finally {
    await session.release()
  }
}

/** As the Gram job opens its session (cka-grams.ts). */
const GRAM_SESSION: SessionOptions = { memoryPattern: false }

/** Forward and Gram graph alternate run by run, so load drift hits both alike. */
async function forwardVersusGramGraph(
  fixture: CkaFixture,
  graphs: BenchGraphs,
  batch: Batch,
  repeats: number,
): Promise<{ forward: number[]; gramGraph: number[] }> {
  const feeds = { [graphs.input]: { data: batch.images, dims: batch.dims } }
  const gramOutputs = graphs.gramGraph.taps.flatMap((tap) => [tap.gram, tap.shape])
  return withSession(fixture.modelPath, (plain) =>
    withSession(
      graphs.gramGraph.bytes,
      async (gram) => {
        await plain.run(feeds)
        await gram.run(feeds, gramOutputs)
        const forward: number[] = []
        const gramGraph: number[] = []
        for (let r = 0; r < repeats; r++) {
          forward.push(await timed(() => plain.run(feeds)))
          gramGraph.push(await timed(() => gram.run(feeds, gramOutputs)))
        }
        return { forward, gramGraph }
      },
      GRAM_SESSION,
    ),
  )
}

async function gramsOnly(
  graphs: BenchGraphs,
  batch: Batch,
  repeats: number,
): Promise<TapGramTime[]> {
  const feeds = { [graphs.input]: { data: batch.images, dims: batch.dims } }
  const activations = await withSession(graphs.tapGraph.bytes, (session) =>
    session.run(feeds, graphs.tapGraph.outputs),
  )
  return withSession(gramOnlyModel(), async (session) => {
    const times: TapGramTime[] = []
    for (const [t, tap] of graphs.taps.entries()) {
      const data = activations[graphs.tapGraph.outputs[t]].data
      const features = data.length / batch.dims[0]
      const feed = { [GRAM_ONLY_INPUT]: { data, dims: [batch.dims[0], features] } }
      await session.run(feed)
      const runs: number[] = []
      for (let r = 0; r < repeats; r++) runs.push(await timed(() => session.run(feed)))
      times.push({ key: tap.key, features, seconds: median(runs) })
    }
    return times
  })
}

export async function measureGramShare(
  fixture: CkaFixture,
  graphs: BenchGraphs,
  repeats: number,
): Promise<GramShare> {
  const batch = await firstBatch(fixture)
  const { forward, gramGraph } = await forwardVersusGramGraph(fixture, graphs, batch, repeats)
  const perTap = await gramsOnly(graphs, batch, repeats)
  const forwardSeconds = median(forward)
  const gramGraphSeconds = median(gramGraph)
  const gramsOnlySeconds = perTap.reduce((sum, tap) => sum + tap.seconds, 0)
  return {
    ...{ n: batch.dims[0], repeats, forwardSeconds, gramGraphSeconds, gramsOnlySeconds, perTap },
    shareByDifference: (gramGraphSeconds - forwardSeconds) / gramGraphSeconds,
    shareGramsOnly: gramsOnlySeconds / gramGraphSeconds,
  }
}
