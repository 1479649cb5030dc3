import { dirname } from 'node:path'
import type {
  CkaGramsRequest,
  CkaGramsResult,
  ModelSummary,
} from '../../../../electron/api/contract/index.ts'
import { openDataset, planPreprocessing } from '../../../data/index.ts'
import type { Dataset } from '../../../data/index.ts'
import { tensorCacheParameters } from '../../../data/tensor-cache-batches.ts'
import { loadModel, summarizeLoadedModel } from '../../../onnx/index.ts'
import type { RuntimeSession } from '../../../runtime/index.ts'
import { buildGramGraph } from '../../../surgery/gram-graph.ts'
import type { GramGraph } from '../../../surgery/gram-graph.ts'
import { tensorCacheFolderOf } from '../../job-types.ts'
import type { JobContext, JobHandler, JobOutput, ResolvedJob } from '../../job-types.ts'
import { engineSessions } from '../../sessions.ts'
import { pinnedBatchOrder } from './batch-order.ts'
import { openGramBatches } from './gram-batches.ts'
import type { BatchOrder } from './batch-order.ts'
import { assertCkaBatch, resolveCkaTaps } from './settings.ts'
import { assertModelTakesImages, assertOnlyImageInput } from '../shared/input-check.ts'

export const CKA_GRAMS_STAGE = 'centered Grams'

type GramsJob = ResolvedJob<CkaGramsRequest>

interface PreparedGrams {
  summary: ModelSummary
  graph: GramGraph
  bytes: Uint8Array
}

async function prepareGramGraph(job: GramsJob): Promise<PreparedGrams> {
  const loaded = await loadModel(job.modelPath)
  const summary = summarizeLoadedModel(loaded)
  const taps = resolveCkaTaps(summary, job.request.taps, loaded.model.graph)
  const graph = buildGramGraph(loaded.model, taps, { pooling: job.request.spatialPooling })
  return { summary, graph, bytes: graph.encodeAppendedTo(loaded.bytes) }
}

/**
 * The centered Gram of every tap for each batch of the pinned order. Only n×n floats per tap
 * and batch leave ORT; they are returned as the 'grams' blob, float32 [taps][batches][n][n].
 */
export const ckaGramsJob: JobHandler<CkaGramsRequest, CkaGramsResult> = async (job, context) => {
  const prepared = await prepareGramGraph(job)
  context.signal.throwIfAborted()
  const selection = await openDataset(job.dataset)
  const order = pinnedBatchOrder(selection.size, job.request.gramBatch, job.request.orderSeed)
  const plan = planPreprocessing(job.preprocessing, selection.channels)
  assertCkaBatch(job.request, order, { height: plan.height, width: plan.width })
  assertModelTakesImages(prepared.summary, plan)
  const lease = await engineSessions.acquire(prepared.bytes, {
    provider: job.request.provider,
    recordPlacement: true,
    memoryPattern: false,
    externalDataFolder: dirname(job.modelPath),
  })
  try {
    return await runGrams(job, context, { prepared, selection, order }, lease.session)
  } finally {
    await lease.release()
  }
}

interface OpenedGrams {
  prepared: PreparedGrams
  selection: Dataset
  order: BatchOrder
}

async function runGrams(
  job: GramsJob,
  context: JobContext,
  { prepared, selection, order }: OpenedGrams,
  session: RuntimeSession,
): Promise<JobOutput<CkaGramsResult>> {
  const imageInput = prepared.summary.inputs[0]?.name ?? session.inputNames[0]
  assertOnlyImageInput(prepared.summary.fileName, session.inputNames, imageInput)
  const taps = prepared.graph.taps
  const n = order.n
  const grams = new Float32Array(taps.length * order.batches * n * n)
  const batches = await openGramBatches(selection, order, {
    request: job.request,
    preprocessing: job.preprocessing,
    cacheFolder: tensorCacheFolderOf(job),
  })
  const shapes = new Map<string, number[]>()
  let batchIndex = 0
  context.report({ stage: CKA_GRAMS_STAGE, done: 0, total: order.positions.length })
  try {
    for await (const batch of batches.loader) {
      context.signal.throwIfAborted()
      const feeds = { [imageInput]: { data: batch.images, dims: batch.dims } }
      const outputs = await session.run(
        feeds,
        taps.flatMap((tap) => [tap.gram, tap.shape]),
      )
      taps.forEach((tap, t) => {
        const dims = Array.from(outputs[tap.shape].data).slice(1)
        shapes.set(tap.key, job.request.spatialPooling === 'mean' ? dims.slice(0, 1) : dims)
        const gram = outputs[tap.gram]
        grams.set(gram.data, (t * order.batches + batchIndex) * n * n)
      })
      batchIndex += 1
      context.report({
        stage: CKA_GRAMS_STAGE,
        done: batchIndex * n,
        total: order.positions.length,
      })
    }
  } finally {
    await batches.loader.close()
  }
  context.signal.throwIfAborted()
  const payload: CkaGramsResult = {
    numImages: order.positions.length,
    droppedImages: order.dropped,
    n,
    batches: order.batches,
    spatialPooling: job.request.spatialPooling,
    taps: taps.map((tap) => {
      const shape = shapes.get(tap.key) ?? []
      return { key: tap.key, shape, features: shape.reduce((a, b) => a * b, 1) }
    }),
    orderSha256: order.sha256,
  }
  return {
    payload,
    providers: session.providerReport(),
    datasetFingerprint: selection.info.fingerprint,
    batchSize: n,
    parameters: {
      taps: payload.taps.map((t) => t.key),
      ...tensorCacheParameters(batches.report()),
    },
    blobs: [
      { role: 'grams', data: new Uint8Array(grams.buffer) },
      { role: 'batch-order', data: new Uint8Array(order.positions.buffer) },
    ],
  }
}
