// JPEG decode + preprocessing alone (the batch loader and its workers, no inference), reported
// separately because on two cores it shares the CPU with ORT during variant (c) (T11).
import type { CorruptionCell } from '../../electron/api/contract/index.ts'
import { openCorruptedBatches } from '../../native-models/data/decoded-cache-batches.ts'
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

/**
 * One corruption cell's batches alone (no inference): decoding the JPEGs, or from the
 * decoded-image cache in `cacheFolder` (filled by the decoding pass when it is empty).
 */
export async function measureCorruptedLoaderOnly(
  fixture: Fixture,
  corruption: CorruptionCell,
  cacheFolder: string | null,
): Promise<Measurement & { decodedImageCache: string }> {
  const dataset = await openDataset(datasetOf(fixture))
  const preprocessing = fixture.resolution.preprocessing
  const batches = await openCorruptedBatches(dataset, {
    ...{ preprocessing, batchSize: BATCH_SIZE, corruption, cacheFolder },
  })
  try {
    const startedAt = performance.now()
    const cpuAtStart = process.cpuUsage()
    let images = 0
    for await (const batch of batches.loader) images += batch.dims[0]
    const seconds = (performance.now() - startedAt) / 1000
    const cpu = process.cpuUsage(cpuAtStart)
    const cpuMs = (cpu.user + cpu.system) / 1000 / images
    return {
      ...{ images, loopImagesPerSecond: images / seconds, jobImagesPerSecond: null },
      peakRssBytes: null,
      note: `bench process; default workers (cores − 1), no ORT running; CPU ${cpuMs.toFixed(2)} ms/image (all threads)`,
      decodedImageCache: batches.report().status,
    }
  } finally {
    await batches.loader.close()
  }
}
