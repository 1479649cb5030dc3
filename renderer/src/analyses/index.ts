import { JOB_KINDS } from '../../../electron/api/contract/index.ts'
import type { AnalysisName, JobKind } from '../../../electron/api/contract/index.ts'
import { activationStatsUi } from './activation-stats/index.ts'
import type {
  AnalysisUi,
  CompareEntry,
  LauncherEntry,
  LazyComponent,
  PageAction,
  StructureOverlay,
} from './analysis-ui.ts'
import { ckaUi } from './cka/index.ts'
import { compressionUi } from './compression/index.ts'
import { evaluateUi } from './evaluate/index.ts'
import { gradientsUi } from './gradients/index.ts'
import { probesUi } from './probes/index.ts'
import { robustnessUi } from './robustness/index.ts'
import { t3aUi } from './t3a/index.ts'
import { weightGeometryUi } from './weight-geometry/index.ts'
import { weightNoiseUi } from './weight-noise/index.ts'

/** Every analysis's renderer module, one line each, in the order menus and buttons list them. */
export const ANALYSIS_UIS = {
  evaluate: evaluateUi,
  'activation-stats': activationStatsUi,
  cka: ckaUi,
  'weight-noise': weightNoiseUi,
  robustness: robustnessUi,
  probes: probesUi,
  t3a: t3aUi,
  gradients: gradientsUi,
  'weight-geometry': weightGeometryUi,
  compression: compressionUi,
} as const satisfies Record<AnalysisName, AnalysisUi>

export const analysisUis: readonly AnalysisUi[] = Object.values(ANALYSIS_UIS)

export const analysisRoutes = analysisUis.flatMap((a) => a.routes ?? [])
export const topBarLinks = analysisUis.flatMap((a) => (a.topBar ? [a.topBar] : []))
export const launchers: readonly LauncherEntry[] = analysisUis.flatMap((a) =>
  a.launcher ? [a.launcher] : [],
)
export const comparisons: readonly CompareEntry[] = analysisUis.flatMap((a) =>
  a.compare ? [a.compare] : [],
)
export const structureOverlays: readonly StructureOverlay[] = analysisUis.flatMap((a) =>
  a.structureOverlay ? [a.structureOverlay] : [],
)

/** Every component the analyses load on demand (result panels, compare charts, fieldsets). */
export const lazyComponents: readonly LazyComponent[] = analysisUis.flatMap((a) =>
  [a.resultPanel, a.compare?.charts, a.launcher?.params].filter((c) => c !== undefined),
)

/** The analysis that shows results of this job kind. */
export function analysisOf(kind: JobKind): AnalysisUi | undefined {
  return analysisUis.find((a) => a.jobKinds.includes(kind))
}

export function launcherOf(kind: JobKind): LauncherEntry {
  const entry = launchers.find((l) => l.kind === kind)
  if (!entry) throw new RangeError(`No analysis launches '${kind}' jobs.`)
  return entry
}

/** A job kind's name in lists and titles: 'Evaluation'. */
export function kindLabel(kind: JobKind): string {
  return JOB_KINDS[kind]?.label ?? kind
}

/** The launched kind a query asks for, else the first one. */
export function launchKindOf(asked: unknown, among: readonly { kind: JobKind }[]): JobKind {
  return among.find((entry) => entry.kind === asked)?.kind ?? among[0].kind
}

/** Every analysis's buttons on a checkpoint's page, the primary ones first. */
export function checkpointActions(checkpointId: number): PageAction[] {
  return primaryFirst(analysisUis.flatMap((a) => a.checkpointActions?.(checkpointId) ?? []))
}

export function runActions(checkpointId: number): PageAction[] {
  return primaryFirst(analysisUis.flatMap((a) => a.runActions?.(checkpointId) ?? []))
}

function primaryFirst(actions: PageAction[]): PageAction[] {
  return [...actions.filter((a) => a.isPrimary), ...actions.filter((a) => !a.isPrimary)]
}

export type {
  AnalysisUi,
  CompareEntry,
  LauncherEntry,
  PageAction,
  StructureOverlay,
} from './analysis-ui.ts'
export { asyncComponent } from './analysis-ui.ts'
