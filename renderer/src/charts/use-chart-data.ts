import { shallowRef, watch } from 'vue'
import type { ShallowRef, WatchSource } from 'vue'
import type { ChartData, ChartSpec } from './options/chart-data.ts'
import { loadChartData } from './load-chart-data.ts'

export interface ChartDataState {
  data: ShallowRef<ChartData | null>
  error: ShallowRef<string>
  isLoading: ShallowRef<boolean>
  reload: () => Promise<void>
}

/** Loads what a chart spec draws and loads again whenever the spec changes; the last load wins. */
export function useChartData(spec: WatchSource<ChartSpec | null>): ChartDataState {
  const data = shallowRef<ChartData | null>(null)
  const error = shallowRef('')
  const isLoading = shallowRef(false)
  let generation = 0
  let current: ChartSpec | null = null

  async function reload(): Promise<void> {
    const mine = ++generation
    if (!current) {
      data.value = null
      return
    }
    isLoading.value = true
    error.value = ''
    try {
      const loaded = await loadChartData(current)
      if (mine === generation) data.value = loaded
    } catch (e) {
      if (mine === generation) error.value = e instanceof Error ? e.message : String(e)
    } finally {
      if (mine === generation) isLoading.value = false
    }
  }

  watch(
    spec,
    (value) => {
      current = value
      void reload()
    },
    { immediate: true, deep: true },
  )
  return { data, error, isLoading, reload }
}
