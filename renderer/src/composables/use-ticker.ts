import { onScopeDispose, shallowRef, watch } from 'vue'
import type { Ref } from 'vue'

/** Date.now(), refreshed every second while `isActive()` holds (elapsed-time labels). */
export function useTicker(isActive: () => boolean): Readonly<Ref<number>> {
  const now = shallowRef(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  watch(
    isActive,
    (active) => {
      clearInterval(timer)
      now.value = Date.now()
      if (active) timer = setInterval(() => (now.value = Date.now()), 1000)
    },
    { immediate: true },
  )
  onScopeDispose(() => clearInterval(timer))
  return now
}
