import type { Batch } from '../../../data/types.ts'
import type { FeedTensor, RuntimeSession } from '../../../runtime/index.ts'
import type { FakeQuantGraph, FakeQuantSite } from '../../../surgery/fake-quant/index.ts'
import type { JobContext } from '../../job-types.ts'
import { firstNonFiniteOutput } from '../shared/finite-outputs.ts'
import { EvaluationError } from '../shared/job-errors.ts'
import type { ImagePasses } from '../shared/image-passes.ts'

/** One site's per-channel accounting on one batch, as the graph computed it. */
export interface SiteBatchRecord {
  siteId: string
  /** Images in the batch. */
  images: number
  maxAbs: Float32Array
  zeroCount: Float32Array
  quantizedNonzeroCount: Float32Array
  /** The width b each channel was quantized with (0 where the site was off). */
  bits: Float32Array
  signed: boolean
}

export interface PassOutput {
  /** Row-major [N, classes] over every image of the pass. */
  logits: Float32Array
  labels: Int32Array
  /** Per batch, per site (only when the pass asked for the accounting). */
  records: SiteBatchRecord[][]
}

/** What one pass feeds each site: its per-channel input ([C] float32), by site id. */
export type SiteFeeds = ReadonlyMap<string, Float32Array>

export interface QuantizedModel {
  session: RuntimeSession
  graph: FakeQuantGraph
  classes: number
  numImages: number
}

/**
 * Every batch through the fake-quantized graph with the same per-site feeds: the logits of all
 * images (in batch order) and, when asked, each batch's per-site accounting outputs.
 */
export async function runQuantizedPass(
  model: QuantizedModel,
  passes: ImagePasses,
  feeds: SiteFeeds,
  options: { accounting: boolean; signal: AbortSignal; onBatch?: () => void },
): Promise<PassOutput> {
  const { graph, session, classes, numImages } = model
  const logits = new Float32Array(numImages * classes)
  const labels = new Int32Array(numImages)
  const records: SiteBatchRecord[][] = []
  const siteFeeds = siteFeedTensors(graph.sites, feeds)
  const wanted = [graph.logitsOutput, ...(options.accounting ? accountingOutputs(graph) : [])]
  let offset = 0
  for await (const batch of passes.pass()) {
    options.signal.throwIfAborted()
    const outputs = await session.run(
      { [graph.imageInput]: { data: batch.images, dims: batch.dims }, ...siteFeeds },
      wanted,
    )
    const batchLogits = outputs[graph.logitsOutput]?.data
    assertLogits(batchLogits, batch, classes, offset)
    logits.set(batchLogits, offset * classes)
    labels.set(batch.labels, offset)
    if (options.accounting) records.push(batchRecords(graph.sites, outputs, batch.dims[0]))
    offset += batch.dims[0]
    options.onBatch?.()
  }
  if (offset !== numImages)
    throw new EvaluationError(`A pass read ${offset} images where ${numImages} were selected.`)
  return { logits, labels, records }
}

function siteFeedTensors(
  sites: readonly FakeQuantSite[],
  feeds: SiteFeeds,
): Record<string, FeedTensor> {
  return Object.fromEntries(
    sites.map(({ site, input }) => {
      const data = feeds.get(site.id) ?? new Float32Array(site.channels)
      if (data.length !== site.channels)
        throw new RangeError(
          `Site '${site.id}' has ${site.channels} channels; its feed holds ${data.length} values.`,
        )
      return [input, { data, dims: [site.channels] }]
    }),
  )
}

function accountingOutputs(graph: FakeQuantGraph): string[] {
  return graph.sites.flatMap(({ outputs }) => [
    outputs.maxAbs,
    outputs.zeroCount,
    outputs.quantizedNonzeroCount,
    outputs.bits,
    outputs.signed,
  ])
}

function batchRecords(
  sites: readonly FakeQuantSite[],
  outputs: Record<string, { data: Float32Array }>,
  images: number,
): SiteBatchRecord[] {
  const read = (name: string): Float32Array => {
    const data = outputs[name]?.data
    if (data === undefined) throw new RangeError(`The graph gave no output '${name}'.`)
    return data
  }
  return sites.map(({ site, outputs: names }) => ({
    siteId: site.id,
    images,
    maxAbs: read(names.maxAbs),
    zeroCount: read(names.zeroCount),
    quantizedNonzeroCount: read(names.quantizedNonzeroCount),
    bits: read(names.bits),
    signed: (read(names.signed)[0] ?? 0) !== 0,
  }))
}

function assertLogits(
  logits: Float32Array | undefined,
  batch: Batch,
  classes: number,
  offset: number,
): asserts logits is Float32Array {
  const images = batch.dims[0]
  if (logits === undefined || logits.length !== images * classes)
    throw new EvaluationError(
      `The quantized model gave ${logits?.length ?? 0} logits for ${images} images of ${classes} classes.`,
    )
  const found = firstNonFiniteOutput(logits, classes)
  if (found !== null)
    throw new EvaluationError(
      `The quantized model gave ${found.value} for class ${found.classIndex} of image ${offset + found.row} of the selection.`,
    )
}

/** Progress as passes of the images: `done` counts batches over all passes. */
export function passProgress(context: JobContext, stage: string, totalBatches: number) {
  let done = 0
  context.report({ stage, done, total: totalBatches })
  return () => context.report({ stage, done: ++done, total: totalBatches })
}
