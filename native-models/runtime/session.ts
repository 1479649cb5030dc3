import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { InferenceSession } from 'onnxruntime-node'
import type { Dim, ExecutionProvider, ProviderReport } from '../../electron/api/contract/index.ts'
import { ortReason, RuntimeError } from './errors.ts'
import { prepareModel } from './model-source.ts'
import type { ModelSource } from './model-source.ts'
import { onnxruntimeBackend } from './ort-backend.ts'
import type { OrtBackend } from './ort-backend.ts'
import { readPlacementAndRemove } from './placement.ts'
import type { NodePlacement } from './placement.ts'
import { selectProviders } from './provider-selection.ts'
import type { ProviderSelection } from './provider-selection.ts'
import { fromOrtOutputs, toOrtFeeds } from './tensors.ts'
import type { FeedTensor, OutputTensor } from './tensors.ts'
import { defaultIntraOpThreads } from './threads.ts'

export type { FeedTensor, OutputTensor } from './tensors.ts'

export interface SessionOptions {
  /** Default 'cpu': `auto` probes GPU providers, which a quick check need not pay for. */
  provider?: ExecutionProvider
  /** Threads per operator; default one per core (tests use 1 so test files don't contend). */
  intraOpNumThreads?: number
  /**
   * Where `<file>.data` lives when the model comes as bytes: ORT resolves external data against
   * the model's path, and bytes have none (T14). Defaults to the folder of a model path.
   */
  externalDataFolder?: string
  /** Profile the first run and count its nodes per provider (ProviderReport.nodePlacement). */
  recordPlacement?: boolean
  /**
   * ORT's memory pattern (default on): after the first run it plans one block for the whole
   * graph. Graphs that keep many large tensors alive (the 18-tap Gram graph) pay for it: at 224²,
   * n = 64 its second run took 7.3 s instead of 1.7 s and peak RSS rose from 2.2 to 3.7 GB, with
   * no gain on later runs. Off for those.
   */
  memoryPattern?: boolean
}

export interface RuntimeSession {
  readonly inputNames: readonly string[]
  readonly outputNames: readonly string[]
  /** Declared input shapes; symbolic dims (e.g. 'batch') as strings. */
  readonly inputShapes: Readonly<Record<string, readonly Dim[]>>
  /** Providers asked for and attached; nodePlacement fills in after the first recorded run. */
  providerReport(): ProviderReport
  /** Runs once; returns the requested outputs (all by default) as float32. */
  run(
    feeds: Record<string, FeedTensor>,
    outputNames?: readonly string[],
  ): Promise<Record<string, OutputTensor>>
  release(): Promise<void>
}

/**
 * Opens a model from a file path, bytes, or a decoded model (e.g. one edited by surgery) on the
 * providers `options.provider` resolves to. `backend` is the seam fault-injection tests replace.
 */
export async function createSession(
  model: ModelSource,
  options: SessionOptions = {},
  backend: OrtBackend = onnxruntimeBackend,
): Promise<RuntimeSession> {
  const selection = await selectProviders(options.provider ?? 'cpu', backend)
  const prepared = await prepareModel(model, options.externalDataFolder)
  const profileFolder =
    options.recordPlacement === true ? await mkdtemp(join(tmpdir(), 'ort-placement-')) : null
  const ortOptions = toOrtOptions(selection, options, prepared.externalDataFolder, profileFolder)
  try {
    const session = await backend.createSession(prepared.bytes, ortOptions)
    return wrapSession(session, selection, profileFolder)
  } catch (error) {
    if (profileFolder !== null) await rm(profileFolder, { recursive: true, force: true })
    throw sessionCreationError(error)
  }
}

function toOrtOptions(
  selection: ProviderSelection,
  options: SessionOptions,
  externalDataFolder: string | undefined,
  profileFolder: string | null,
): InferenceSession.SessionOptions {
  const ortOptions: InferenceSession.SessionOptions = {
    executionProviders: selection.ortProviders,
    intraOpNumThreads: options.intraOpNumThreads ?? defaultIntraOpThreads(),
    // One ORT run at a time per engine, sequential graphs: inter-op threads would only idle.
    interOpNumThreads: 1,
    ...(options.memoryPattern === false ? { enableMemPattern: false } : {}),
    ...selection.sessionOptions,
  }
  if (externalDataFolder !== undefined) {
    const session = { model_external_initializers_file_folder_path: externalDataFolder }
    ortOptions.extra = { session }
  }
  if (profileFolder !== null) {
    ortOptions.enableProfiling = true
    ortOptions.profileFilePrefix = join(profileFolder, 'placement')
  }
  return ortOptions
}

function sessionCreationError(error: unknown): RuntimeError {
  const message = error instanceof Error ? error.message : String(error)
  const missingData = /external|\.data\b/i.test(message) && /exist|open|find|read/i.test(message)
  const code = missingData ? 'EXTERNAL_DATA_MISSING' : 'INTERNAL'
  return new RuntimeError(code, `ONNX Runtime could not create a session: ${ortReason(error)}.`, {
    cause: error,
  })
}

function wrapSession(
  session: InferenceSession,
  selection: ProviderSelection,
  profileFolder: string | null,
): RuntimeSession {
  const placement = new PlacementRecorder(session, profileFolder)
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    inputShapes: inputShapes(session),
    providerReport: () => ({
      requested: selection.requested,
      attached: [...selection.attached],
      nodePlacement: { ...placement.counts },
      fallbackReason: selection.fallbackReason,
    }),
    run: async (feeds, outputNames) => {
      const results = await session.run(toOrtFeeds(feeds), [
        ...(outputNames ?? session.outputNames),
      ])
      await placement.afterRun()
      return fromOrtOutputs(results)
    },
    release: async () => {
      await session.release()
      await placement.discard()
    },
  }
}

function inputShapes(session: InferenceSession): Record<string, readonly Dim[]> {
  const shapes: Record<string, readonly Dim[]> = {}
  for (const metadata of session.inputMetadata) {
    if (metadata.isTensor) shapes[metadata.name] = [...metadata.shape]
  }
  return shapes
}

/** Ends profiling after the first run, so later runs pay nothing, and keeps the node counts. */
class PlacementRecorder {
  counts: NodePlacement = {}
  readonly #session: InferenceSession
  #folder: string | null

  constructor(session: InferenceSession, folder: string | null) {
    this.#session = session
    this.#folder = folder
  }

  async afterRun(): Promise<void> {
    const folder = this.#folder
    if (folder === null) return
    this.#folder = null
    this.#session.endProfiling()
    this.counts = await readPlacementAndRemove(folder)
  }

  async discard(): Promise<void> {
    if (this.#folder !== null) await rm(this.#folder, { recursive: true, force: true })
    this.#folder = null
  }
}
