// Images/s of corruption generation, per corruption, on the bench's own JPEGs after resize and
// crop (what the decoded-image cache hands a sweep cell): in this thread, and through the
// preprocessing worker pool as a sweep cell's batch loader uses it (two chunks per worker per
// batch). Both include the normalisation a cell does after the corruption; severities 1–5 are
// cycled over the images so each rate is the average over a sweep's five cells. Each corruption
// first runs one image per severity untimed, in this thread and in the pool: what a cell pays once
// (frost's procedural textures, made once per thread) is reported apart from its steady rate.
import {
  CORRUPTION_NAMES,
  SEVERITIES,
} from '../../native-models/analysis/robustness/corruptions/index.ts'
import type { CorruptionName } from '../../electron/api/contract/index.ts'
import { asRgb } from '../../native-models/data/corrupt-image.ts'
import {
  decodeImageFile,
  geometricSteps,
  planPreprocessing,
} from '../../native-models/data/index.ts'
import type { PreprocessPlan } from '../../native-models/data/index.ts'
import { preprocessItems } from '../../native-models/data/preprocess-items.ts'
import type { NamedSource } from '../../native-models/data/preprocess-items.ts'
import { PreprocessPool, defaultWorkerCount } from '../../native-models/data/worker-pool.ts'
import type { RawImage } from '../../native-models/data/types.ts'
import { BATCH_SIZE } from './fixtures.ts'
import type { Fixture } from './fixtures.ts'

export interface CorruptionRate {
  name: CorruptionName
  images: number
  singleThreadImagesPerSecond: number
  /** CPU time of the generating thread per image: what load on a shared machine changes least. */
  singleThreadCpuMs: number
  /** The same over the untimed first image of each severity (one-off set-up included). */
  firstImagesCpuMs: number
  poolImagesPerSecond: number
}

export interface CorruptionRates {
  label: string
  workers: number
  /** Seconds from creating a pool to its first result (paid once per sweep cell). */
  poolStartSeconds: number
  rates: CorruptionRate[]
}

export interface RateBudget {
  /** Single-thread seconds spent per corruption, at least. */
  seconds: number
  minImages: number
  maxImages: number
}

/** The fixture's first images, decoded, resized and cropped to uint8 RGB, as in-memory sources. */
async function shapedSources(fixture: Fixture, paths: readonly string[]): Promise<RawImage[]> {
  const preprocessing = fixture.resolution.preprocessing
  const shaped: RawImage[] = []
  for (const path of paths) {
    const image = geometricSteps(await decodeImageFile(path), preprocessing, 'bilinear')
    const rgb = asRgb(image, 0, path)
    shaped.push({ data: rgb.data, width: rgb.width, height: rgb.height, channels: 3 })
  }
  return shaped
}

function cellPlans(fixture: Fixture, name: CorruptionName): PreprocessPlan[] {
  const geometryDone = { ...fixture.resolution.preprocessing, resize: null, centerCrop: null }
  return SEVERITIES.map((severity) =>
    planPreprocessing(geometryDone, 3, 'bilinear', {
      ...{ name, severity, seed: 1, jpegQuality: null, padding: 'before' },
    }),
  )
}

const itemOf = (images: readonly RawImage[], position: number): NamedSource => ({
  source: { kind: 'pixels', image: images[position % images.length] },
  name: `bench#${position}`,
  position,
})

async function singleThread(
  plans: readonly PreprocessPlan[],
  images: readonly RawImage[],
  budget: RateBudget,
): Promise<{ images: number; seconds: number; cpuSeconds: number }> {
  const startedAt = performance.now()
  const cpuAtStart = process.threadCpuUsage()
  let count = 0
  const elapsed = () => (performance.now() - startedAt) / 1000
  while (count < budget.maxImages && (count < budget.minImages || elapsed() < budget.seconds)) {
    await preprocessItems([itemOf(images, count)], plans[count % plans.length])
    count += 1
  }
  const cpu = process.threadCpuUsage(cpuAtStart)
  return { images: count, seconds: elapsed(), cpuSeconds: (cpu.user + cpu.system) / 1e6 }
}

/**
 * `count` images as a sweep's cells would send them: per severity, chunks of a batch split in two
 * per worker, all posted at once (each chunk has one severity, as each cell has).
 */
async function throughPool(
  pool: PreprocessPool,
  plans: readonly PreprocessPlan[],
  images: readonly RawImage[],
  count: number,
): Promise<number> {
  const chunkSize = Math.max(1, Math.ceil(BATCH_SIZE / (pool.size * 2)))
  const tasks: Promise<unknown>[] = []
  const startedAt = performance.now()
  plans.forEach((plan, severity) => {
    const positions = Array.from({ length: count }, (_, i) => i).filter(
      (p) => p % plans.length === severity,
    )
    for (let start = 0; start < positions.length; start += chunkSize) {
      const chunk = positions.slice(start, start + chunkSize)
      tasks.push(
        pool.run(
          plan,
          chunk.map((p) => itemOf(images, p)),
        ),
      )
    }
  })
  await Promise.all(tasks)
  return (performance.now() - startedAt) / 1000
}

/** Every corruption's generation rate at the fixture's size, in one pool for all of them. */
export async function measureCorruptionRates(
  fixture: Fixture,
  paths: readonly string[],
  budget: RateBudget,
  log: (text: string) => void,
): Promise<CorruptionRates> {
  const images = await shapedSources(fixture, paths)
  const workers = defaultWorkerCount()
  const startedAt = performance.now()
  const pool = new PreprocessPool(workers)
  try {
    const warmPlans = cellPlans(fixture, 'gaussian_noise')
    await pool.run(warmPlans[0], [itemOf(images, 0)])
    const poolStartSeconds = (performance.now() - startedAt) / 1000
    const rates: CorruptionRate[] = []
    for (const name of CORRUPTION_NAMES) {
      const plans = cellPlans(fixture, name)
      const warmUp = { seconds: 0, minImages: plans.length, maxImages: plans.length }
      const firstImages = await singleThread(plans, images, warmUp)
      await throughPool(pool, plans, images, plans.length)
      const single = await singleThread(plans, images, budget)
      const count = Math.max(single.images, 2 * plans.length * workers)
      const poolSeconds = await throughPool(pool, plans, images, count)
      const rate: CorruptionRate = {
        ...{ name, images: single.images },
        singleThreadImagesPerSecond: single.images / single.seconds,
        singleThreadCpuMs: (1000 * single.cpuSeconds) / single.images,
        firstImagesCpuMs: (1000 * firstImages.cpuSeconds) / firstImages.images,
        poolImagesPerSecond: count / poolSeconds,
      }
      log(
        `${fixture.resolution.label} ${name}: ${rate.singleThreadImagesPerSecond.toFixed(1)} img/s in one thread, ${rate.poolImagesPerSecond.toFixed(1)} img/s in the pool`,
      )
      rates.push(rate)
    }
    return { label: fixture.resolution.label, workers, poolStartSeconds, rates }
  } finally {
    await pool.close()
  }
}
