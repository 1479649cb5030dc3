// JPEG decode + preprocessing alone (the batch loader and its workers, no inference), reported
// separately because on two cores it shares the CPU with ORT during variant (c) (T11).
import { createBatchLoader, openDataset } from '../../native-models/data/index.ts'
import type { Measurement } from './bare-ort.ts'
import { BATCH_SIZE, datasetOf } from './fixtures.ts'
import type { Fixture } from './fixtures.ts'

export async function measureDecodeOnly(fixture: Fixture): Promise<Measurement> {
  const dataset = await openDataset(datasetOf(fixture))
  const loader = createBatchLoader(dataset, {
    preprocessing: fixture.resolution.preprocessing,
    batchSize: BATCH_SIZE,
  })
  try {
    const startedAt = performance.now()
    let images = 0
    for await (const batch of loader) images += batch.dims[0]
    const seconds = (performance.now() - startedAt) / 1000
    return {
      images,
      loopImagesPerSecond: images / seconds,
      jobImagesPerSecond: null,
      peakRssBytes: null,
      note: 'bench process; default workers (cores − 1), no ORT running',
    }
  } finally {
    await loader.close()
  }
}
