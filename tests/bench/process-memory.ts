import { readFileSync, writeFileSync } from 'node:fs'

function statusBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]
    return kb === undefined ? null : Number(kb) * 1024
  } catch {
    return null
  }
}

/** Peak resident set size (VmHWM) of a process, in bytes; null when /proc has no such entry. */
export function peakRssBytes(pid: number): number | null {
  return statusBytes(pid, 'VmHWM')
}

export function currentRssBytes(pid: number): number | null {
  return statusBytes(pid, 'VmRSS')
}

/**
 * Lowers VmHWM to the current RSS ('5' to clear_refs, Linux ≥ 4.0), so each variant reports its
 * own peak instead of the process's lifetime peak. Returns false when the kernel refused.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}
