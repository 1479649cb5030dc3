import { computed, shallowRef, watch } from 'vue'
import type { Ref } from 'vue'
import type { ResultInfo, ResultSummary } from '../../../electron/api/contract/index.ts'
import { call } from '../api/client.ts'
import type { LabeledResult } from '../charts/options/chart-data.ts'
import type { TrajectoryPoint } from '../charts/options/trajectory.ts'
import { useCatalog } from '../stores/catalog.ts'
import type { CatalogCheckpoint } from '../stores/catalog.ts'
import { workspace } from '../stores/workspace.ts'

export type ProtocolMatch = (
  a: ResultSummary | ResultInfo,
  b: ResultSummary | ResultInfo,
) => boolean

/** Stored with the same request: the same images and parameters. */
function isLike(a: ResultSummary | ResultInfo, b: ResultSummary | ResultInfo): boolean {
  return (
    a.provenance.datasetFingerprint === b.provenance.datasetFingerprint &&
    JSON.stringify(a.provenance.parameters) === JSON.stringify(b.provenance.parameters)
  )
}

/**
 * A result's trajectory over its run: the newest result of the same kind, images and parameters
 * at every checkpoint of that run with the same export variant, in epoch order.
 * `isSameProtocol` loosens "the same parameters" for an analysis that needs less.
 */
export function useRunTrajectory(resultId: Ref<number>, isSameProtocol: ProtocolMatch = isLike) {
  const { checkpoints } = useCatalog()
  const results = shallowRef<LabeledResult[]>([])
  const points = shallowRef<TrajectoryPoint[]>([])
  const error = shallowRef('')
  /** The result's own checkpoint in its run; null for a model outside any run. */
  const checkpoint = shallowRef<CatalogCheckpoint | null>(null)

  async function load(id: number): Promise<void> {
    const own = await call('result:get', id)
    const entry = own.checkpointId === null ? undefined : checkpoints.value.get(own.checkpointId)
    const run = entry?.run
    if (id === resultId.value) checkpoint.value = entry ?? null
    if (!entry || !run) {
      results.value = []
      points.value = []
      return
    }
    const summaries = await call('result:list', { runId: run.id, kind: own.kind })
    const newest = new Map<number, ResultSummary>()
    for (const s of summaries) {
      const checkpoint = s.checkpointId === null ? undefined : checkpoints.value.get(s.checkpointId)
      if (!checkpoint || checkpoint.checkpoint.variant !== entry.checkpoint.variant) continue
      if (checkpoint.checkpoint.epoch === null || !isSameProtocol(s, own)) continue
      // The result on the page stands for its own checkpoint, even when a newer one matches.
      if (s.checkpointId === own.checkpointId && s.id !== own.id) continue
      if (!newest.has(s.checkpointId!)) newest.set(s.checkpointId!, s)
    }
    const loaded = await Promise.all(
      [...newest.values()].map((s) =>
        s.id === own.id ? Promise.resolve(own) : call('result:get', s.id),
      ),
    )
    if (id !== resultId.value) return
    results.value = loaded.map((r) => ({
      id: r.id,
      kind: r.kind,
      label: checkpoints.value.get(r.checkpointId!)!.label,
      payload: r.payload,
    }))
    points.value = loaded.map((r) => ({
      resultId: r.id,
      run: run.name,
      epoch: checkpoints.value.get(r.checkpointId!)!.checkpoint.epoch!,
    }))
  }

  watch(
    () => [resultId.value, checkpoints.value, workspace.resultsVersion] as const,
    ([id]) => {
      load(id).then(
        () => (error.value = ''),
        (e: unknown) => (error.value = e instanceof Error ? e.message : String(e)),
      )
    },
    { immediate: true },
  )

  /** options.points of the trajectory charts. */
  const pointsOption = computed(() => JSON.stringify(points.value))
  return { results, points, pointsOption, checkpoint, error }
}
