import { defineAsyncComponent } from 'vue'
import type { Component } from 'vue'
import type { RouteLocationRaw, RouteRecordRaw } from 'vue-router'
import type {
  AnalysisName,
  CheckpointJobBase,
  JobKind,
  JobRequest,
} from '../../../electron/api/contract/index.ts'

/** A component loaded with its own chunk the first time it is shown. */
export type LazyComponent = () => Promise<Component | { default: Component }>

/** A link button on a page; its data-testid is `<page>-<id>` ('checkpoint-evaluate'). */
export interface PageAction {
  id: string
  label: string
  to: RouteLocationRaw
  /** Drawn first, as the page's main action. */
  isPrimary?: boolean
}

/** A job kind the Analyze view starts. `O`: the parameters of its own fieldset. */
export interface LauncherEntry<O = unknown> {
  kind: JobKind
  /** One line beside its radio button. */
  hint: string
  /** The seeded sample the launcher proposes, in images. */
  sampleCount: number
  /** false: its jobs read the weights only, so the launcher asks for no dataset or images. */
  readsImages?: boolean
  /** Its own parameters before the user changes them. */
  defaults(): O
  /** Its fieldset: a v-model of `O`; none when the kind has no parameters of its own. */
  params?: LazyComponent
  /** Its job request from the launcher's shared part and its own parameters. */
  request(base: CheckpointJobBase, options: O): JobRequest
  /** Its job request with the parameters stored in another result's provenance. */
  requestLike(base: CheckpointJobBase, parameters: Record<string, unknown>): JobRequest
}

/** How the Compare view shows the results of one job kind side by side. */
export interface CompareEntry {
  kind: JobKind
  /** Completes "None of these checkpoints has … yet.": 'an evaluation'. */
  missing: string
  /** Under the headline table: how to read its deltas. */
  note?: string
  /** Its charts under the table; props: rows, results, baselineResultId, synthetic. */
  charts: LazyComponent
}

/** Colours the structure diagram on a checkpoint's page from a stored result of one job kind. */
export interface StructureOverlay {
  /** Prefix of its entries in the diagram's 'Colour by' menu: 'act' gives 'act:zeroFraction'. */
  id: string
  kind: JobKind
  /** Each measure's label in that menu. */
  measures: Record<string, string>
  /** One number per layer key ('stem', 'layer1.0', …) from a stored payload. */
  byLayer(payload: unknown, measure: string): Record<string, number>
  /** How a measure's values read; null: three significant digits. */
  format?(measure: string): ((value: number) => string) | null
  /** Shown while the checkpoint has no result of this kind. */
  hint: string
}

/**
 * Everything the shared views need to know of one analysis; registered by one line in
 * `analyses/index.ts`. The router, top bar, result, compare, analyze, checkpoint and run views
 * read these and never name an analysis.
 */
export interface AnalysisUi {
  name: AnalysisName
  label: string
  /** The job kinds whose stored results it shows (result page, result lists). */
  jobKinds: readonly JobKind[]
  /** Views of its own. */
  routes?: readonly RouteRecordRaw[]
  /** A link in the top bar, after Analyze and Compare; its data-testid is `nav-<id>`. */
  topBar?: { id: string; label: string; to: RouteLocationRaw }
  /** The result page's body for one of its stored results; props: result, synthetic. */
  resultPanel?: LazyComponent
  compare?: CompareEntry
  launcher?: LauncherEntry
  structureOverlay?: StructureOverlay
  /** Buttons on a checkpoint's page (and the primary ones in a run's checkpoint table). */
  checkpointActions?: (checkpointId: number) => PageAction[]
  /** Buttons on a run's page; `checkpointId`: its last BN-folded checkpoint. */
  runActions?: (checkpointId: number) => PageAction[]
}

/** Keeps a launcher entry's parameter type while the registry holds entries of every kind. */
export function launcherEntry<O>(entry: LauncherEntry<O>): LauncherEntry {
  return entry
}

const loaded = new Map<LazyComponent, Component>()

/** One async component per lazy component, so `<component :is>` keeps its instance. */
export function asyncComponent(load: LazyComponent): Component {
  let component = loaded.get(load)
  if (!component) {
    component = defineAsyncComponent(load)
    loaded.set(load, component)
  }
  return component
}
