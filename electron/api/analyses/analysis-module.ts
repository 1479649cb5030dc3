import type {
  AnalysisName,
  CheckpointJobBase,
  DatasetRequest,
  InvokeMap,
  JobKind,
  JobRequest,
  PayloadOf,
  RequestOf,
  ResultInfo,
} from '../contract/index.ts'
import type { StartedJob } from '../job-manager.ts'
import type { TidyValue } from './tidy.ts'

/** What an analysis may ask of the service beyond its own request. */
export interface AnalysisContext {
  /** Queues a job, or answers from an identical stored result. */
  startJob(request: JobRequest): Promise<StartedJob>
  /** The bytes of a stored result's blob by role ('grams', 'batch-order', …). */
  readBlob(resultId: number, role: string): Promise<Uint8Array>
  /** A stored blob of float32 values (Grams, features) as one array. */
  readFloat32Blob(resultId: number, role: string): Promise<Float32Array>
  /** A stored result (NOT_IN_WORKSPACE when there is none). */
  result(resultId: number): ResultInfo
  /** 'seed0@10', 'seed0@10.bn', or the file name of a checkpoint outside any run. */
  checkpointLabel(checkpointId: number): string
  /** How many images a dataset request selects. */
  selectionSize(dataset: DatasetRequest): Promise<number>
}

/** One job kind an analysis runs in the engine and stores as a result. */
export interface JobKindModule<K extends JobKind = JobKind> {
  kind: K
  /**
   * Refuses a malformed request with a sentence naming the field (before any job is recorded);
   * returns it with defaults filled in (the preprocessing's).
   */
  validate(request: RequestOf<K>): RequestOf<K>
  /** The numbers stored with the result: the keys of `JOB_KINDS[kind].headline`. */
  headline(payload: PayloadOf<K>): Record<string, number>
  /** Every stored value of the payload as tidy rows (the CSV exports)… */
  tidyValues(payload: PayloadOf<K>): TidyValue[]
  /** …and the payload back from them. */
  payloadFromTidy(rows: TidyValue[]): PayloadOf<K>
  /**
   * For kinds whose request may name a `shard` of its work: the whole request's payload from the
   * payloads of all its shards (in shard order), so shards merged from other workspaces answer it.
   */
  joinShards?(request: RequestOf<K>, shards: PayloadOf<K>[]): PayloadOf<K>
  /** The smallest sensible request of this kind on given images (the registry test runs it). */
  exampleRequest(base: CheckpointJobBase): RequestOf<K>
}

/** The channels that answer with a derived result (`DerivedStart`). */
export type DerivedChannel = {
  [C in keyof InvokeMap]: ReturnType<InvokeMap[C]> extends { result: unknown; jobs: unknown }
    ? C
    : never
}[keyof InvokeMap]

type DerivedRequestOf<C extends DerivedChannel> = Parameters<InvokeMap[C]>[0]
type DerivedResultOf<C extends DerivedChannel> = NonNullable<ReturnType<InvokeMap[C]>['result']>

/**
 * A result computed from stored job results (CKA from Grams; later probes from cached features,
 * mCE from sweep cells): it names the jobs it needs, and the service's one derived path starts
 * the missing ones, reports their progress and computes the answer when they are stored.
 */
export interface DerivedModule<C extends DerivedChannel = DerivedChannel> {
  channel: C
  /** The jobs whose stored results the answer needs; refuses a malformed request. */
  jobsFor(request: DerivedRequestOf<C>, context: AnalysisContext): Promise<JobRequest[]>
  /** The answer from the stored results of those jobs, in the same order. */
  compute(
    request: DerivedRequestOf<C>,
    stored: ResultInfo[],
    context: AnalysisContext,
  ): Promise<DerivedResultOf<C>>
}

/** Everything the API layer knows of one analysis; registered by one line in index.ts. */
export interface AnalysisModule {
  name: AnalysisName
  jobs: readonly JobKindModule[]
  derived: readonly DerivedModule[]
}

/** Binds a job kind's functions to its request and payload types. */
export function jobKindModule<K extends JobKind>(module: JobKindModule<K>): JobKindModule {
  return module as unknown as JobKindModule
}

export function derivedModule<C extends DerivedChannel>(
  module: DerivedModule<C>,
): DerivedModule<C> {
  return module
}
