import type { ActivationStatsResult } from '../../../../electron/api/contract/index.ts'
import type { MagnitudeBinning } from '../../../analysis/activation-stats/histogram.ts'
import type { Batch } from '../../../data/types.ts'
import type { RuntimeSession } from '../../../runtime/index.ts'
import type { ActivationGraph } from '../../../surgery/activation-graph.ts'
import { SeededRandom } from '../../../surgery/prng.ts'
import type { JobContext } from '../../job-types.ts'
import { addTapBatch, finishTapStatistics, startTapAccumulation } from './accumulator.ts'
import { drawSamplePositions } from './sampling.ts'

export const ACTIVATION_STATS_STAGE = 'activation statistics'

export interface ActivationRunPlan {
  graph: Pick<ActivationGraph, 'drawsInput' | 'taps'>
  /** The model's image input; batches are fed to it as NCHW float32. */
  imageInput: string
  samplesPerBatch: number
  binning: MagnitudeBinning
  seed: number
}

/**
 * Runs the statistics graph on every batch and folds the per-batch reductions in float64; cancel
 * is honoured between runs and progress counts images. The sample positions come from one seeded
 * stream, so the same request and batch size draw the same positions.
 */
export async function collectActivationStats(
  session: Pick<RuntimeSession, 'run'>,
  plan: ActivationRunPlan,
  batches: AsyncIterable<Batch> | Iterable<Batch>,
  totalImages: number,
  { signal, report }: JobContext,
): Promise<ActivationStatsResult> {
  const random = new SeededRandom(plan.seed, 'activation-stats/sample-positions')
  const outputNames = activationOutputNames(plan.graph)
  let taps = plan.graph.taps.map((tap) => startTapAccumulation(tap.key, plan.binning.bins))
  let numImages = 0
  report({ stage: ACTIVATION_STATS_STAGE, done: 0, total: totalImages })
  for await (const batch of batches) {
    signal.throwIfAborted()
    const draws = drawSamplePositions(random, plan.samplesPerBatch)
    const feeds = {
      [plan.imageInput]: { data: batch.images, dims: batch.dims },
      [plan.graph.drawsInput]: { data: draws, dims: [draws.length] },
    }
    const outputs = await session.run(feeds, outputNames)
    taps = taps.map((tap, i) => addTapBatch(tap, outputs, plan.graph.taps[i], plan.binning))
    numImages += batch.dims[0]
    report({ stage: ACTIVATION_STATS_STAGE, done: numImages, total: totalImages })
  }
  signal.throwIfAborted()
  return { numImages, taps: taps.map(finishTapStatistics) }
}

/** Every output the statistics graph adds: seven small tensors per tap. */
export function activationOutputNames(graph: Pick<ActivationGraph, 'taps'>): string[] {
  return graph.taps.flatMap(({ shape, mean, m2, max, min, zeros, samples }) => [
    ...[shape, mean, m2, max, min, zeros, samples],
  ])
}
