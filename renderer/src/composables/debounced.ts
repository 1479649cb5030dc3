/** `work` run once `ms` after the last of a burst of calls (typing in a field). */
export function debounced(work: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  return () => {
    clearTimeout(timer)
    timer = setTimeout(work, ms)
  }
}
