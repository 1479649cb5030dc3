import { computed, shallowRef } from 'vue'
import type { LabeledResult } from '../charts/options/chart-data.ts'
import type { ComparedRow } from './use-comparison.ts'

/** What the Compare view gives an analysis's compare charts. */
export interface CompareChartsProps {
  rows: ComparedRow[]
  results: LabeledResult[]
  baselineResultId: number | null
  synthetic: boolean
}

/**
 * The absolute / difference switch of compare charts: 'difference' needs two results or more.
 * `minusBaseline` names what a difference chart shows: 'seed1 · epoch 3 − baseline'.
 */
export function useCompareMode(
  props: CompareChartsProps,
  isDifferenceFirst: boolean,
  each: string,
) {
  const isDifference = shallowRef(isDifferenceFirst)
  const mode = computed(() =>
    isDifference.value && props.results.length > 1 ? 'difference' : 'absolute',
  )
  const minusBaseline = computed(() => {
    const others = props.rows.filter((r) => !r.isBaseline && r.summary)
    return others.length === 1 ? `${others[0].label} − baseline` : `${each} − baseline`
  })
  return { isDifference, mode, minusBaseline }
}
