import { reactive, watch } from 'vue'

/** The pinned baseline every comparison is drawn against: a run or a checkpoint. */
export interface Baseline {
  kind: 'run' | 'checkpoint'
  id: number
  label: string
}

const STORAGE_KEY = 'resnet-workbench:baseline'

function load(): Baseline | null {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Baseline | null
  } catch {
    return null
  }
}

export const baseline = reactive<{ pinned: Baseline | null }>({ pinned: load() })

export function pinBaseline(value: Baseline | null): void {
  baseline.pinned = value
}

watch(
  () => baseline.pinned,
  (value) => localStorage.setItem(STORAGE_KEY, JSON.stringify(value)),
)
