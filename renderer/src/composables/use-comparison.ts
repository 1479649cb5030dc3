import { computed, onScopeDispose, shallowRef, watch } from 'vue'
import type { Ref } from 'vue'
import type { JobKind, ResultInfo, ResultSummary } from '../../../electron/api/contract/index.ts'
import { call } from '../api/client.ts'
import type { LabeledResult } from '../charts/options/chart-data.ts'
import { useCatalog } from '../stores/catalog.ts'
import { onResultStored, startJob } from '../stores/jobs.ts'
import { workspace } from '../stores/workspace.ts'
import { datasetLabel } from '../components/common/format.ts'
import { requestLike } from '../components/launcher/launch-request.ts'

export interface ComparedRow {
  checkpointId: number
  label: string
  isBaseline: boolean
  /** The newest stored result of this kind on the chosen images; null: not computed yet. */
  summary: ResultSummary | null
}

export interface DatasetChoice {
  fingerprint: string
  label: string
  /** How many of the compared checkpoints have a result on it. */
  coverage: number
}

/** Stored results of one kind for a baseline and other checkpoints, matched by dataset fingerprint. */
export function useComparison(
  baselineId: Ref<number | null>,
  otherIds: Ref<number[]>,
  kind: Ref<JobKind>,
  fingerprint: Ref<string | null>,
) {
  const { labelOf } = useCatalog()
  const summaries = shallowRef<ResultSummary[]>([])
  const payloads = shallowRef(new Map<number, ResultInfo>())
  const error = shallowRef('')

  const ids = computed(() =>
    baselineId.value === null ? otherIds.value : [baselineId.value, ...otherIds.value],
  )

  async function loadSummaries(): Promise<void> {
    try {
      summaries.value = await call('result:list', { kind: kind.value })
      error.value = ''
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
    }
  }
  watch([kind, () => workspace.resultsVersion], () => void loadSummaries(), { immediate: true })
  onScopeDispose(onResultStored(() => void loadSummaries()))

  // Until result:list answers for a new kind, the summaries are still the previous kind's.
  const relevant = computed(() =>
    summaries.value.filter(
      (s) => s.kind === kind.value && s.checkpointId !== null && ids.value.includes(s.checkpointId),
    ),
  )

  /** Image sets the baseline has results on first, then the others', by coverage. */
  const datasets = computed<DatasetChoice[]>(() => {
    const byPrint = new Map<string, { summary: ResultSummary; checkpoints: Set<number> }>()
    for (const s of relevant.value) {
      const entry = byPrint.get(s.provenance.datasetFingerprint ?? '') ?? {
        summary: s,
        checkpoints: new Set(),
      }
      entry.checkpoints.add(s.checkpointId!)
      byPrint.set(s.provenance.datasetFingerprint ?? '', entry)
    }
    const hasBaseline = (e: { checkpoints: Set<number> }): number =>
      baselineId.value !== null && e.checkpoints.has(baselineId.value) ? 1 : 0
    return [...byPrint.entries()]
      .sort(
        ([, a], [, b]) =>
          hasBaseline(b) - hasBaseline(a) || b.checkpoints.size - a.checkpoints.size,
      )
      .map(([print, e]) => ({
        fingerprint: print,
        label: datasetLabel(e.summary.provenance.dataset),
        coverage: e.checkpoints.size,
      }))
  })

  const chosenPrint = computed(() => fingerprint.value ?? datasets.value[0]?.fingerprint ?? null)

  const rows = computed<ComparedRow[]>(() =>
    ids.value.map((checkpointId) => ({
      checkpointId,
      label: labelOf(checkpointId),
      isBaseline: checkpointId === baselineId.value,
      // result:list is newest first
      summary:
        relevant.value.find(
          (s) =>
            s.checkpointId === checkpointId &&
            (s.provenance.datasetFingerprint ?? '') === chosenPrint.value,
        ) ?? null,
    })),
  )

  watch(rows, async (list) => {
    const missing = list.flatMap((r) =>
      r.summary && !payloads.value.has(r.summary.id) ? [r.summary.id] : [],
    )
    if (missing.length === 0) return
    try {
      const loaded = await Promise.all(missing.map((id) => call('result:get', id)))
      const next = new Map(payloads.value)
      for (const r of loaded) next.set(r.id, r)
      payloads.value = next
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
    }
  })

  /** Loaded results in row order (baseline first), labelled for the charts. */
  const results = computed<LabeledResult[]>(() =>
    rows.value.flatMap((row) => {
      const info = row.summary ? payloads.value.get(row.summary.id) : undefined
      return info && info.kind === kind.value
        ? [{ id: info.id, kind: info.kind, label: row.label, payload: info.payload }]
        : []
    }),
  )

  const baselineResultId = computed(() => rows.value.find((r) => r.isBaseline)?.summary?.id ?? null)

  /** Starts the job for a checkpoint that lacks the result, on the same images as the others. */
  async function compute(checkpointId: number): Promise<void> {
    const like = rows.value.find((r) => r.summary)?.summary
    if (!like) return
    const start = await startJob(requestLike(like, checkpointId))
    if (start.result) await loadSummaries()
  }

  return { rows, results, datasets, chosenPrint, baselineResultId, error, compute }
}
