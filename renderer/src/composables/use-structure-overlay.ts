import { computed, shallowRef, watch } from 'vue'
import type { Ref } from 'vue'
import type { JobKind, ResultSummary } from '../../../electron/api/contract/index.ts'
import { structureOverlays } from '../analyses/index.ts'
import { call } from '../api/client.ts'
import type { LayerValues } from './layer-metrics.ts'
import { showError } from '../stores/errors.ts'
import { workspace } from '../stores/workspace.ts'

/**
 * The analyses' overlays of a checkpoint's structure diagram (registry `structureOverlay`): the
 * menu entries of those with a stored result, and the values of the chosen one ('act:std').
 */
export function useStructureOverlay(checkpointId: Ref<number>, metric: Ref<string>) {
  /** This checkpoint's stored results per overlaid kind, newest first. */
  const stored = shallowRef(new Map<JobKind, ResultSummary[]>())
  watch(
    () => [checkpointId.value, workspace.resultsVersion] as const,
    async ([id]) => {
      const lists = await Promise.all(
        structureOverlays.map((o) =>
          call('result:list', { checkpointId: id, kind: o.kind }).catch(() => []),
        ),
      )
      if (id === checkpointId.value)
        stored.value = new Map(structureOverlays.map((o, i) => [o.kind, lists[i]]))
    },
    { immediate: true },
  )

  const resultsOf = (kind: JobKind): ResultSummary[] => stored.value.get(kind) ?? []
  const choices = computed(() =>
    structureOverlays.flatMap((o) =>
      resultsOf(o.kind).length
        ? Object.entries(o.measures).map(([measure, label]) => ({
            value: `${o.id}:${measure}`,
            label,
          }))
        : [],
    ),
  )
  const hints = computed(() =>
    structureOverlays.filter((o) => resultsOf(o.kind).length === 0).map((o) => o.hint),
  )

  const active = computed(() => {
    const [id, measure] = metric.value.split(':')
    const overlay = structureOverlays.find((o) => o.id === id)
    return overlay && measure ? { overlay, measure } : null
  })
  /** The chosen overlay's results: the 'from' menu. */
  const results = computed(() => (active.value ? resultsOf(active.value.overlay.kind) : []))
  const resultId = shallowRef<number | null>(null)
  watch(
    results,
    (list) => {
      if (!list.some((r) => r.id === resultId.value)) resultId.value = list[0]?.id ?? null
    },
    { immediate: true },
  )

  const payloads = shallowRef(new Map<number, unknown>())
  watch(resultId, async (id) => {
    if (id === null || payloads.value.has(id)) return
    try {
      const result = await call('result:get', id)
      payloads.value = new Map(payloads.value).set(id, result.payload)
    } catch (error) {
      showError(error)
    }
  })

  const values = computed<LayerValues | null>(() => {
    const a = active.value
    const payload = resultId.value === null ? undefined : payloads.value.get(resultId.value)
    return a && payload !== undefined ? a.overlay.byLayer(payload, a.measure) : null
  })
  const format = computed(() => active.value?.overlay.format?.(active.value.measure) ?? null)

  return { choices, hints, results, resultId, values, format }
}
