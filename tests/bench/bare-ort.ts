// Variant (a): the runtime alone on ready tensors, in this process, with the engine's thread
// settings (createSession's defaults: one intra-op thread per core, one inter-op thread).
import type { PreprocessedTensors } from '../../native-models/data/index.ts'
import { createTensorLoader } from '../../native-models/data/index.ts'
import { createSession } from '../../native-models/runtime/index.ts'
import { BATCH_SIZE } from './fixtures.ts'
import { peakRssBytes, resetPeakRss } from './process-memory.ts'

export interface Measurement {
  images: number
  /** Images per second over the batches only (setup excluded). */
  loopImagesPerSecond: number
  /** Images per second over everything the caller waits for (null: same as loop). */
  jobImagesPerSecond: number | null
  peakRssBytes: number | null
  note: string
}

export async function measureBareOrt(
  modelPath: string,
  tensors: PreprocessedTensors,
): Promise<Measurement> {
  const session = await createSession(modelPath, { provider: 'cpu' })
  try {
    const [c, h, w] = tensors.itemDims
    const warmUp = tensors.images.slice(0, BATCH_SIZE * c * h * w)
    // Two runs: ORT plans its memory pattern after the first and allocates it in the second,
    // which at 224² took 1.5× a steady run here; the jobs it is compared with are warm too.
    for (let run = 0; run < 2; run += 1) {
      await session.run({ input: { data: warmUp, dims: [BATCH_SIZE, c, h, w] } })
    }
    resetPeakRss(process.pid)
    const loader = createTensorLoader(tensors, { batchSize: BATCH_SIZE })
    const startedAt = performance.now()
    for await (const batch of loader) {
      await session.run({ input: { data: batch.images, dims: batch.dims } })
    }
    const seconds = (performance.now() - startedAt) / 1000
    return {
      images: tensors.size,
      loopImagesPerSecond: tensors.size / seconds,
      jobImagesPerSecond: null,
      peakRssBytes: peakRssBytes(process.pid),
      note: 'bench process; session created and warmed (two runs) before timing',
    }
  } finally {
    await session.release()
  }
}
