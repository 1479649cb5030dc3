import type { ChannelSpecs } from './channels.ts'
// THE contract between the hosts (CLI, Electron main, web host), the service and the renderer,
// assembled from its domain files and one file per analysis. Types plus constant maps only: no
// runtime dependencies, safe to import from the renderer and the sandboxed preload.
import type { AnalysisContract, JobKindInfo } from './analysis-contract.ts'
import { activationStatsContract } from './analyses/activation-stats.ts'
import { ckaContract } from './analyses/cka.ts'
import { compressionContract } from './analyses/compression.ts'
import { evaluateContract } from './analyses/evaluate.ts'
import { gradientsContract } from './analyses/gradients.ts'
import { probesContract } from './analyses/probes.ts'
import { robustnessContract } from './analyses/robustness.ts'
import { t3aContract } from './analyses/t3a.ts'
import { weightGeometryContract } from './analyses/weight-geometry.ts'
import { weightNoiseContract } from './analyses/weight-noise.ts'
import { DATASETS_CHANNELS } from './datasets.ts'
import type { DatasetsInvoke } from './datasets.ts'
import type { IpcResult } from './errors.ts'
import { EXPORT_CHANNELS } from './export.ts'
import type { ExportInvoke } from './export.ts'
import { HOST_CHANNELS } from './host.ts'
import type { HostInvoke, MenuAction } from './host.ts'
import { jobsChannels } from './jobs.ts'
import type { JobInfo, JobsInvoke } from './jobs.ts'
import { MODELS_CHANNELS } from './models.ts'
import type { ModelsInvoke } from './models.ts'
import { RESULTS_CHANNELS } from './results.ts'
import type { ResultsInvoke } from './results.ts'
import { RUNS_CHANNELS } from './runs.ts'
import type { RunsInvoke } from './runs.ts'
import { WORKSPACE_CHANNELS } from './workspace.ts'
import type { WorkspaceInvoke } from './workspace.ts'

export type * from './analysis-contract.ts'
export type * from './channels.ts'
export type * from './analyses/activation-stats.ts'
export type * from './analyses/cka.ts'
export type * from './analyses/compression.ts'
export type * from './analyses/evaluate.ts'
export type * from './analyses/features.ts'
export type * from './analyses/gradients.ts'
export type * from './analyses/probes.ts'
export { DEFAULT_PROBE_FRACTIONS } from './analyses/probes.ts'
export type * from './analyses/robustness.ts'
export type * from './analyses/t3a.ts'
export { DEFAULT_T3A_FILTERS } from './analyses/t3a.ts'
export type * from './analyses/weight-geometry.ts'
export type * from './analyses/weight-noise.ts'
export type * from './corruptions.ts'
export { CORRUPTION_NAMES } from './corruptions.ts'
export type * from './datasets.ts'
export type * from './errors.ts'
export { ERROR_CODES } from './errors.ts'
export type * from './export.ts'
export type * from './host.ts'
export type * from './jobs.ts'
export { readsImages } from './jobs.ts'
export type * from './models.ts'
export type * from './paths.ts'
export type * from './results.ts'
export type * from './runs.ts'
export type * from './workspace.ts'

/** Every analysis's part of the contract, one line each. */
export const ANALYSES = {
  evaluate: evaluateContract,
  'activation-stats': activationStatsContract,
  cka: ckaContract,
  'weight-noise': weightNoiseContract,
  robustness: robustnessContract,
  probes: probesContract,
  t3a: t3aContract,
  gradients: gradientsContract,
  'weight-geometry': weightGeometryContract,
  compression: compressionContract,
} as const

export type AnalysisName = keyof typeof ANALYSES

type TypesOf<A> = A extends AnalysisContract<infer T> ? T : never
type Analysis = TypesOf<(typeof ANALYSES)[AnalysisName]>
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never

export type JobRequest = Analysis['jobs']
export type JobKind = JobRequest['kind']
/** The stored payload of each job kind. */
export type PayloadMap = Intersection<Analysis['payloads']>
export type PayloadOf<K extends JobKind> = PayloadMap[K]
/** The request of one job kind. */
export type RequestOf<K extends JobKind> = Extract<JobRequest, { kind: K }>

export type InvokeMap = WorkspaceInvoke &
  RunsInvoke &
  ModelsInvoke &
  DatasetsInvoke &
  JobsInvoke &
  ResultsInvoke &
  ExportInvoke &
  HostInvoke &
  Intersection<Analysis['invoke']>

export type InvokeChannel = keyof InvokeMap

/** A chart the desktop app, the browser and the CLI all render the same way (ECharts SSR). */
export type ChartKind = 'metric-curves' | Analysis['charts']

/** Every chart kind: the runs' metric curves and each analysis's charts. */
export const CHART_KINDS: readonly ChartKind[] = [
  'metric-curves',
  ...Object.values(ANALYSES).flatMap((analysis): readonly ChartKind[] => analysis.charts),
]

export interface EventMap {
  'job:progress': JobInfo
  /** Desktop only: a menu item the renderer carries out. */
  'menu:action': { action: MenuAction }
}

const ANALYSIS_CHANNELS = Object.assign(
  {},
  ...Object.values(ANALYSES).map((analysis) => analysis.channels),
) as Intersection<(typeof ANALYSES)[AnalysisName]['channels']>

/**
 * Runtime allowlist, with each channel's arguments (checked before any handler runs) and its file
 * and folder arguments (the web host's path policy); `satisfies` fails the build if it drifts from
 * InvokeMap: a channel missing, or a different number of arguments.
 */
export const INVOKE_CHANNELS = {
  ...WORKSPACE_CHANNELS,
  ...RUNS_CHANNELS,
  ...MODELS_CHANNELS,
  ...DATASETS_CHANNELS,
  ...jobsChannels(Object.values(ANALYSES).flatMap((analysis) => analysis.jobPaths ?? [])),
  ...RESULTS_CHANNELS,
  ...EXPORT_CHANNELS,
  ...HOST_CHANNELS,
  ...ANALYSIS_CHANNELS,
} as const satisfies ChannelSpecs<InvokeMap>

/** Every job kind's label and headline fields. */
export const JOB_KINDS = Object.assign(
  {},
  ...Object.values(ANALYSES).map((analysis) => analysis.kinds),
) as { readonly [K in JobKind]: JobKindInfo }

export interface WorkbenchApi {
  invoke<C extends InvokeChannel>(
    channel: C,
    ...args: Parameters<InvokeMap[C]>
  ): Promise<IpcResult<ReturnType<InvokeMap[C]>>>
  on<E extends keyof EventMap>(event: E, listener: (payload: EventMap[E]) => void): () => void
}
