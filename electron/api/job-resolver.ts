import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { DbHandle } from '../../db/index.ts'
import {
  findCheckpointByPath,
  getCheckpoint,
  getRun,
  storedCheckpointFile,
  upsertCheckpoint,
} from '../../db/index.ts'
import { summarizeModel } from '../../native-models/onnx/index.ts'
import { readsImages } from './contract/index.ts'
import type { JobRequest, Preprocessing } from './contract/index.ts'
import { RequestError } from './errors.ts'

export interface ResolvedModel {
  checkpointId: number | null
  modelPath: string
  modelSha256: string
  /** null for a job kind that reads no images. */
  preprocessing: Preprocessing | null
  /** The run's class names (run.json), used when the request names none. */
  runClasses: string[] | null
}

type ModelOfRun = Omit<ResolvedModel, 'preprocessing' | 'runClasses'> & {
  /** The checkpoint's own (set in the app), else its run's. */
  runPreprocessing: Preprocessing | null
  runClasses: string[] | null
}

async function modelOfPath(db: DbHandle, path: string): Promise<ModelOfRun> {
  const absolute = resolve(path)
  const info = await stat(absolute).catch(() => null)
  if (!info) throw new RequestError('NOT_FOUND', `Model '${absolute}' does not exist.`)
  const stored = storedCheckpointFile(db, absolute)
  // Same size and mtime: the stored hash stands, so repeat requests never re-read 100 MB. A
  // retrained checkpoint written to the same path keeps its size, so mtime must match too.
  const isUnchanged = stored?.sizeBytes === info.size && stored.mtimeMs === info.mtimeMs
  if (!isUnchanged) {
    // A model file outside any run becomes a loose checkpoint, so its results are linked to it;
    // a run's checkpoint that changed on disk keeps its run and epoch.
    const known = findCheckpointByPath(db, absolute)
    const summary = await summarizeModel(absolute)
    upsertCheckpoint(db, {
      runId: known?.runId ?? null,
      path: absolute,
      epoch: known?.epoch ?? null,
      step: known?.step ?? null,
      variant: known?.variant ?? '',
      sizeBytes: info.size,
      mtimeMs: info.mtimeMs,
      summary,
    })
  }
  return modelOfCheckpoint(db, findCheckpointByPath(db, absolute)!.id)
}

function modelOfCheckpoint(db: DbHandle, checkpointId: number): ModelOfRun {
  const checkpoint = getCheckpoint(db, checkpointId)
  if (!checkpoint)
    throw new RequestError(
      'NOT_IN_WORKSPACE',
      `No checkpoint with id ${checkpointId} in this workspace (see 'runs <run>').`,
    )
  const run = checkpoint.runId === null ? null : getRun(db, checkpoint.runId)
  return {
    checkpointId,
    modelPath: checkpoint.path,
    modelSha256: checkpoint.sha256,
    runPreprocessing: checkpoint.preprocessing ?? run?.preprocessing ?? null,
    runClasses: run?.classes ?? null,
  }
}

/** A model file outside any run as a workspace checkpoint (the stored one while it is unchanged). */
export async function openLooseCheckpoint(db: DbHandle, path: string): Promise<number> {
  return (await modelOfPath(db, path)).checkpointId!
}

/** The model file, its hash and the preprocessing a job request means. */
export async function resolveJobModel(db: DbHandle, request: JobRequest): Promise<ResolvedModel> {
  if ((request.checkpointId === null) === (request.modelPath === null)) {
    throw new RequestError('INVALID_ARGUMENT', 'Give either a checkpoint id or a model path.')
  }
  const model =
    request.checkpointId !== null
      ? modelOfCheckpoint(db, request.checkpointId)
      : await modelOfPath(db, request.modelPath!)
  const preprocessing = readsImages(request)
    ? (request.preprocessing ?? model.runPreprocessing)
    : null
  if (!preprocessing && readsImages(request)) {
    throw new RequestError(
      'PREPROCESSING_MISSING',
      `No preprocessing is known for '${model.modelPath}': set it for the checkpoint (or its run), add "preprocessing" to the run's run.json, or give it with the request.`,
    )
  }
  return {
    checkpointId: model.checkpointId,
    modelPath: model.modelPath,
    modelSha256: model.modelSha256,
    preprocessing,
    runClasses: model.runClasses,
  }
}
