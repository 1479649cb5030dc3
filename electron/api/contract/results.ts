import { channel, id, object } from './channels.ts'
import type { ChannelSpecs } from './channels.ts'
import type { DatasetRequest, Preprocessing } from './datasets.ts'
import type { JobKind } from './index.ts'
import type { JobInfo, JobStart, ProviderReport } from './jobs.ts'

export interface Provenance {
  modelSha256: string
  modelFile: string
  /** null for a job kind that reads no images (weights only), as are dataset and preprocessing. */
  datasetFingerprint: string | null
  dataset: DatasetRequest | null
  preprocessing: Preprocessing | null
  parameters: Record<string, unknown>
  providers: ProviderReport
  appVersion: string
  createdAt: string
  elapsedMs: number
  /** The job started the engine process (its time includes loading ONNX Runtime); absent: unknown. */
  startedEngine?: boolean
  batchSize: number
}

export interface ResultInfo<P = unknown> {
  id: number
  jobId: number | null
  kind: JobKind
  checkpointId: number | null
  datasetId: number | null
  requestHash: string
  provenance: Provenance
  payload: P
  /** true when an identical earlier request answered. */
  isCached: boolean
}

/** A stored result without its payload: what lists and the provenance panel need. */
export interface ResultSummary {
  id: number
  jobId: number | null
  kind: JobKind
  checkpointId: number | null
  runId: number | null
  datasetId: number | null
  datasetName: string | null
  createdAt: string
  /** Its headline numbers, stored with it: keys and formats in `JOB_KINDS[kind].headline`. */
  headline: Record<string, number>
  provenance: Provenance
}

export interface ResultFilter {
  runId?: number
  checkpointId?: number
  kind?: JobKind
}

/**
 * A derived result (computed from stored job results, such as CKA from Grams): the answer when
 * every job it needs is stored, else the jobs just started (or already running) that it waits for.
 */
export interface DerivedStart<R> {
  result: R | null
  jobs: JobInfo[]
}

/** One number of a result's headline, and how every view shows it. */
export interface HeadlineField {
  /** Its key in `ResultSummary.headline`. */
  key: string
  label: string
  /** 'percent': a fraction shown × 100 (deltas in points); 'number': fixed digits; 'count': integer. */
  format: 'percent' | 'number' | 'count'
  digits: number
  /** Which way is better, to colour deltas against a baseline; null: neither. */
  better: 'higher' | 'lower' | null
  /** Shown in result lists (else only in detail and compare tables). */
  isListed: boolean
  /** The headline also holds `<key>Lower` and `<key>Upper`, its 95 % interval (when stored). */
  hasInterval?: boolean
}

/** How many images a result is over: the last headline number of every job kind. */
export const IMAGES_HEADLINE: HeadlineField = {
  key: 'numImages',
  label: 'images',
  format: 'count',
  digits: 0,
  better: null,
  isListed: false,
}

export interface ResultsInvoke {
  'result:get': (resultId: number) => ResultInfo
  'result:list': (filter: ResultFilter) => ResultSummary[]
  /** Deletes a stored result; its blobs are collected when nothing else refers to them. */
  'result:delete': (resultId: number) => void
  /** Runs the result's request again (force); the new result replaces the old one when stored. */
  'result:recompute': (resultId: number) => JobStart
}
export const RESULTS_CHANNELS = {
  'result:get': channel([id('resultId')]),
  'result:list': channel([object('filter')]),
  'result:delete': channel([id('resultId')]),
  'result:recompute': channel([id('resultId')]),
} as const satisfies ChannelSpecs<ResultsInvoke>
