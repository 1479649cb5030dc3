export interface BatchSizerOptions {
  /** Time one ORT run should take: a cancel waits for at most one run. Default 1000 ms. */
  targetMs?: number
  minSize?: number
  maxSize?: number
  /** Items in the warm-up and timing runs. Default 2. */
  probeSize?: number
  now?: () => number
}

export interface BatchSizing {
  batchSize: number
  /** Measured cost of one item in the last timed run. */
  msPerItem: number
  /** Wall time spent measuring, warm-up included. */
  measuringMs: number
}

const DEFAULTS = { targetMs: 1000, minSize: 1, maxSize: 256, probeSize: 2 }

/** The largest power of two in [minSize, maxSize] whose predicted run time fits the target. */
export function batchSizeForTime(msPerItem: number, options: BatchSizerOptions = {}): number {
  const { targetMs, minSize, maxSize } = { ...DEFAULTS, ...options }
  const fitting = msPerItem > 0 ? targetMs / msPerItem : maxSize
  let size = 1
  while (size * 2 <= Math.min(fitting, maxSize)) size *= 2
  return Math.min(Math.max(size, minSize), maxSize)
}

/**
 * Sizes batches by time so that cancel is honoured within about `targetMs`: one untimed run (ORT
 * allocates and prepacks on the first), one timed run of `probeSize` items, and, when that
 * predicts a larger batch, one timed run at that size to correct for per-run overhead. At most
 * three runs; the correction may at most double the size, so a bad first guess stays bounded.
 */
export async function measureBatchSize(
  runBatch: (size: number) => Promise<void>,
  options: BatchSizerOptions = {},
): Promise<BatchSizing> {
  const { probeSize, minSize, maxSize } = { ...DEFAULTS, ...options }
  const now = options.now ?? (() => performance.now())
  const startedAt = now()
  const probe = Math.min(Math.max(probeSize, minSize), maxSize)
  await runBatch(probe)
  let msPerItem = (await timeRun(runBatch, probe, now)) / probe
  let batchSize = batchSizeForTime(msPerItem, options)
  if (batchSize > probe) {
    const guess = batchSize
    msPerItem = (await timeRun(runBatch, guess, now)) / guess
    batchSize = Math.min(batchSizeForTime(msPerItem, options), guess * 2)
  }
  return { batchSize, msPerItem, measuringMs: now() - startedAt }
}

async function timeRun(
  runBatch: (size: number) => Promise<void>,
  size: number,
  now: () => number,
): Promise<number> {
  const startedAt = now()
  await runBatch(size)
  return now() - startedAt
}
