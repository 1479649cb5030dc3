import { shallowRef, watch } from 'vue'
import type { Ref } from 'vue'
import type { JobEstimate, JobRequest } from '../../../electron/api/contract/index.ts'
import { call } from '../api/client.ts'

const DEBOUNCE_MS = 250

/** job:estimate for a request that changes as the user types; the latest answer wins. */
export function useEstimate(request: Ref<JobRequest | null>) {
  const estimate = shallowRef<JobEstimate | null>(null)
  const error = shallowRef('')
  let timer: ReturnType<typeof setTimeout> | undefined

  watch(
    request,
    (current) => {
      clearTimeout(timer)
      estimate.value = null
      error.value = ''
      if (!current) return
      timer = setTimeout(() => {
        call('job:estimate', current).then(
          (value) => {
            if (current === request.value) estimate.value = value
          },
          (e: unknown) => {
            if (current === request.value) error.value = e instanceof Error ? e.message : String(e)
          },
        )
      }, DEBOUNCE_MS)
    },
    { immediate: true },
  )
  return { estimate, error }
}
