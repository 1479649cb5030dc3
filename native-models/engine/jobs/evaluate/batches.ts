import { basename } from 'node:path'
import type { ModelSummary } from '../../../../electron/api/contract/index.ts'
import type { Dataset } from '../../../data/index.ts'
import type { Batch } from '../../../data/types.ts'
import type { RuntimeSession } from '../../../runtime/index.ts'
import type { JobContext } from '../../job-types.ts'
import { firstNonFiniteOutput } from '../shared/finite-outputs.ts'
import { fixedBatchSize } from '../shared/input-check.ts'
import type { ImageShape } from '../shared/input-check.ts'
import { EvaluationError } from '../shared/job-errors.ts'

export const EVALUATION_STAGE = 'evaluating'

/** How batches reach the model. */
export interface ClassifierFeed {
  session: Pick<RuntimeSession, 'run'>
  fileName: string
  inputName: string
  outputName: string
  /** Class scores per image the model declares. */
  numOutputs: number
  /** The model's fixed batch dimension; a shorter last batch is zero-padded to it. */
  fixedBatch: number | null
  /** Names a dataset image in messages (Dataset.describe). */
  describeImage: (position: number) => string
}

/** How a classifier's session is fed, from its summary: the first input and output, its classes. */
export function classifierFeed(
  modelPath: string,
  summary: ModelSummary,
  session: RuntimeSession,
  dataset: Dataset,
): ClassifierFeed {
  return {
    session,
    fileName: basename(modelPath),
    inputName: summary.inputs[0]?.name ?? session.inputNames[0],
    outputName: summary.outputs[0]?.name ?? session.outputNames[0],
    numOutputs: summary.numClasses,
    fixedBatch: fixedBatchSize(summary),
    describeImage: (position) => dataset.describe(position),
  }
}

/** One run on `size` blank images: what batch sizing times. */
export async function runBlankImages(
  feed: ClassifierFeed,
  image: ImageShape,
  size: number,
): Promise<void> {
  const dims = [size, image.channels, image.height, image.width]
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1))
  await feed.session.run({ [feed.inputName]: { data, dims } }, [feed.outputName])
}

/** One batch of outputs: row-major [N, K] float32, K = `numOutputs`. */
export interface OutputBatch {
  outputs: Float32Array
  numOutputs: number
  batch: Batch
}

/**
 * Runs every batch through the model and hands its outputs on; cancel is honoured between runs
 * (a single ORT run cannot be interrupted), and progress counts images.
 */
export async function forEachOutputBatch(
  feed: ClassifierFeed,
  batches: AsyncIterable<Batch>,
  totalImages: number,
  { signal, report }: JobContext,
  consume: (batch: OutputBatch) => void,
): Promise<void> {
  let done = 0
  report({ stage: EVALUATION_STAGE, done, total: totalImages })
  for await (const batch of batches) {
    signal.throwIfAborted()
    const outputBatch = await runBatch(feed, batch)
    assertFinite(outputBatch, feed)
    consume(outputBatch)
    done += batch.dims[0]
    report({ stage: EVALUATION_STAGE, done, total: totalImages })
  }
}

async function runBatch(feed: ClassifierFeed, batch: Batch): Promise<OutputBatch> {
  const images = batch.dims[0]
  const dims = [feed.fixedBatch ?? images, ...batch.dims.slice(1)]
  const data = feed.fixedBatch === null ? batch.images : padBatch(batch.images, dims)
  const results = await feed.session.run({ [feed.inputName]: { data, dims } }, [feed.outputName])
  const output = results[feed.outputName]
  const expected = [dims[0], feed.numOutputs]
  if (output === undefined || output.dims.join() !== expected.join()) {
    throw new EvaluationError(
      `'${feed.fileName}' returned '${feed.outputName}' as [${output?.dims.join(', ') ?? ''}] for ${dims[0]} images, not [${expected.join(', ')}] class scores.`,
    )
  }
  const numOutputs = feed.numOutputs
  return { outputs: output.data.subarray(0, images * numOutputs), numOutputs, batch }
}

function padBatch(images: Float32Array, dims: readonly number[]): Float32Array {
  const padded = new Float32Array(dims.reduce((a, b) => a * b, 1))
  padded.set(images)
  return padded
}

function assertFinite({ outputs, numOutputs, batch }: OutputBatch, feed: ClassifierFeed): void {
  const found = firstNonFiniteOutput(outputs, numOutputs)
  if (found === null) return
  const image = feed.describeImage(batch.positions[found.row] ?? found.row)
  throw new EvaluationError(
    `'${feed.fileName}' gave ${found.value} for class ${found.classIndex} of '${image}'; a model with non-finite outputs (a diverged checkpoint?) cannot be evaluated.`,
  )
}
