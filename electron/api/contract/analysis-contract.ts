import type { ChannelSpecs } from './channels.ts'
import type { PathArgument } from './paths.ts'
import type { HeadlineField } from './results.ts'

/** What one analysis adds to the contract: its job requests, their stored payloads, its channels. */
export interface AnalysisTypes {
  /** The job requests it adds (a union of requests with a literal `kind`; never when it has none). */
  jobs: { kind: string }
  /** The stored payload of each of its job kinds. */
  payloads: Record<string, unknown>
  /** Channels of its own, such as a result derived from stored job results. */
  invoke: object
  /** The chart kinds it draws (ECharts options shared by the views and the export). */
  charts: string
}

/** How the results of one job kind are named and summed up wherever they are listed. */
export interface JobKindInfo {
  /** 'Evaluation', 'Activation statistics'. */
  label: string
  /** The numbers stored with each result (its headline), in the order lists and tables show them. */
  headline: readonly HeadlineField[]
}

export interface AnalysisContract<T extends AnalysisTypes> {
  /** Its channels: their arguments, and those that name files or folders. */
  readonly channels: ChannelSpecs<T['invoke']>
  readonly kinds: { readonly [K in keyof T['payloads']]: JobKindInfo }
  readonly charts: readonly T['charts'][]
  /**
   * Files or folders its job requests name beyond modelPath and dataset.path (as fields of the
   * request, argument 0 of 'job:start'; '*' steps into every element of a list).
   */
  readonly jobPaths?: readonly PathArgument[]
  /** Carries the types only: never set at run time. */
  readonly types?: T
}

/** An analysis's part of the contract, registered by one line in `ANALYSES` (index.ts). */
export function analysisContract<T extends AnalysisTypes>(
  parts: Omit<AnalysisContract<T>, 'types'>,
): AnalysisContract<T> {
  return parts
}
