import { readFile, writeFile } from 'node:fs/promises'
import type {
  DatasetRequest,
  EvaluateRequest,
  EvaluationResult,
} from '../../../electron/api/contract/index.ts'
import { runEvaluation } from '../../../native-models/engine/jobs/evaluate/evaluate.ts'
import type {
  JobContext,
  JobOutput,
  JobProgress,
  ResolvedJob,
} from '../../../native-models/engine/job-types.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { THREADS_ENV } from '../../../native-models/runtime/index.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { FMNIST_CLASSES } from '../../unit/analysis/helpers/torch-logits-golden.ts'
import { intAttribute } from '../../../native-models/surgery/attributes.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
} from '../../fixtures/data/fmnist.ts'

// Two test files run at once on two cores: one ORT thread each.
process.env[THREADS_ENV] ??= '1'

export { FMNIST_64_FOLDER, FMNIST_PREPROCESSING } from '../../fixtures/data/fmnist.ts'

export function fmnistTestImages(folder: string, limit: number | null): DatasetRequest {
  return idxTestImages(folder, limit, FMNIST_CLASSES)
}

export function evaluateJobFor(
  modelPath: string,
  overrides: Partial<Pick<ResolvedJob, 'dataset' | 'preprocessing'>> & {
    batchSize?: number | null
  } = {},
): ResolvedJob<EvaluateRequest> {
  const dataset = overrides.dataset ?? fmnistTestImages(FMNIST_64_FOLDER, null)
  const preprocessing = overrides.preprocessing ?? FMNIST_PREPROCESSING
  const request: EvaluateRequest = {
    kind: 'evaluate',
    checkpointId: null,
    modelPath,
    dataset,
    preprocessing,
    batchSize: overrides.batchSize === undefined ? 16 : overrides.batchSize,
    provider: 'cpu',
  }
  return { jobId: 1, request, modelPath, modelSha256: '', preprocessing, dataset }
}

export interface RecordingContext extends JobContext {
  reports: JobProgress[]
  controller: AbortController
}

export function recordingContext(): RecordingContext {
  const controller = new AbortController()
  const reports: JobProgress[] = []
  return { signal: controller.signal, report: (p) => reports.push({ ...p }), reports, controller }
}

export interface ObservedEvaluation {
  output: JobOutput<EvaluationResult>
  /** Every raw output row, in dataset order: [N, K]. */
  logits: Float32Array
  context: RecordingContext
}

/** Runs the evaluation job and keeps the raw outputs it saw. */
export async function evaluateObservingLogits(
  job: ResolvedJob<EvaluateRequest>,
  context: RecordingContext = recordingContext(),
): Promise<ObservedEvaluation> {
  const rows = new Map<number, Float32Array>()
  const output = await runEvaluation(job, context, ({ outputs, numOutputs, batch }) => {
    batch.positions.forEach((position, row) => {
      rows.set(position, outputs.slice(row * numOutputs, (row + 1) * numOutputs))
    })
  })
  const ordered = [...rows.keys()].sort((a, b) => a - b).map((p) => rows.get(p) as Float32Array)
  const logits = new Float32Array(ordered.reduce((n, row) => n + row.length, 0))
  ordered.forEach((row, i) => logits.set(row, i * row.length))
  return { output, logits, context }
}

/** Writes `source` with one extra node after its output (e.g. Softmax), as the new only output. */
export async function writeWithHead(
  source: string,
  target: string,
  addHead: (builder: GraphBuilder, logits: string) => string,
): Promise<void> {
  const builder = GraphBuilder.fromBytes(await readFile(source))
  const logits = builder.graph.output?.[0]?.name ?? 'logits'
  const head = addHead(builder, logits)
  const model = builder.toModel()
  const declared = model.graph?.output?.[0]
  if (model.graph !== undefined && model.graph !== null && declared !== undefined) {
    model.graph.output = [{ ...declared, name: head }]
  }
  await writeFile(target, encodeModelProto(model))
}

export const softmaxHead = (builder: GraphBuilder, logits: string): string =>
  builder.addNode({
    opType: 'Softmax',
    inputs: [logits],
    attributes: [intAttribute('axis', 1)],
  })[0]

export const nanHead = (builder: GraphBuilder, logits: string): string => {
  const nan = builder.float32Constant('nan', Float32Array.of(Number.NaN), [1])
  return builder.addNode({ opType: 'Mul', inputs: [logits, nan] })[0]
}
