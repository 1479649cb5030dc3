import { computed, effectScope, shallowRef, watch } from 'vue'
import type { CheckpointInfo, RunDetail } from '../../../electron/api/contract/index.ts'
import type { Baseline } from './baseline.ts'
import { isSyntheticRun, runDetail, workspace } from './workspace.ts'

/** A checkpoint with the names the analysis views show for it. */
export interface CatalogCheckpoint {
  checkpoint: CheckpointInfo
  run: RunDetail | null
  /** 'seed0 · epoch 10', 'seed0 · epoch 10 (bn)', or the file name of a loose model. */
  label: string
  isSynthetic: boolean
}

const details = shallowRef<RunDetail[]>([])
const loadError = shallowRef('')
let watching = false
let latestLoad = 0

export function checkpointLabelOf(checkpoint: CheckpointInfo, run: RunDetail | null): string {
  const variant = checkpoint.variant ? ` (${checkpoint.variant})` : ''
  if (!run) return (checkpoint.path.split(/[\\/]/).at(-1) ?? checkpoint.path) + variant
  const when = checkpoint.epoch !== null ? `epoch ${checkpoint.epoch}` : `#${checkpoint.id}`
  return `${run.name} · ${when}${variant}`
}

/** Loads every run's detail; a slower earlier load never overwrites a later one. */
async function loadDetails(): Promise<void> {
  const load = ++latestLoad
  try {
    const loaded = await Promise.all(workspace.runs.map((run) => runDetail(run.id)))
    if (load !== latestLoad) return
    details.value = loaded
    loadError.value = ''
  } catch (error) {
    if (load !== latestLoad) return
    loadError.value = error instanceof Error ? error.message : String(error)
  }
}

const checkpoints = computed(() => {
  const map = new Map<number, CatalogCheckpoint>()
  for (const run of details.value) {
    for (const checkpoint of run.checkpoints) {
      map.set(checkpoint.id, {
        checkpoint,
        run,
        label: checkpointLabelOf(checkpoint, run),
        isSynthetic: isSyntheticRun(run),
      })
    }
  }
  return map
})

const openedModelLabels = computed(
  () => new Map(workspace.openedModels.map((m) => [m.checkpointId, m.fileName])),
)

/** Run details and checkpoint labels, following the workspace store's refreshes. */
export function useCatalog() {
  if (!watching) {
    watching = true
    // Detached: a watcher made in a component's setup would stop when that component unmounts
    // (the first caller may be a job row), leaving every later view with stale runs.
    effectScope(true).run(() => watch(() => workspace.version, loadDetails, { immediate: true }))
  }
  return {
    runs: details,
    datasets: computed(() => workspace.datasets),
    checkpoints,
    loadError,
    labelOf: (checkpointId: number | null): string =>
      checkpointId === null
        ? 'model file'
        : (checkpoints.value.get(checkpointId)?.label ??
          openedModelLabels.value.get(checkpointId) ??
          `checkpoint #${checkpointId}`),
  }
}

/** A run stands for its last epoch, the plain export before variants such as 'bn'. */
export function runBaselineCheckpoint(run: RunDetail): CheckpointInfo | null {
  const sorted = [...run.checkpoints].sort(
    (a, b) => (b.epoch ?? -1) - (a.epoch ?? -1) || a.variant.localeCompare(b.variant),
  )
  return sorted[0] ?? null
}

/** The checkpoint a pinned baseline compares against: itself, or its run's last checkpoint. */
export function baselineCheckpointId(pinned: Baseline | null, runs: RunDetail[]): number | null {
  if (!pinned) return null
  if (pinned.kind === 'checkpoint') return pinned.id
  const run = runs.find((r) => r.id === pinned.id)
  return run ? (runBaselineCheckpoint(run)?.id ?? null) : null
}
