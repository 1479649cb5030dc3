import cliProgress from 'cli-progress'
import type { ProgressReport } from '../api/service.ts'

/** A progress bar on stderr with rate and time left; silent when stderr is not a terminal. */
export function createProgressBar(): { update: (p: ProgressReport) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{stage} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted} | {detail}',
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  )
  const startedAt = Date.now()
  let isStarted = false
  return {
    update: (p) => {
      const rate = (p.done / Math.max((Date.now() - startedAt) / 1000, 1e-3)).toFixed(1)
      const payload = { stage: p.stage, detail: p.detail ?? '', rate }
      if (!isStarted) {
        bar.start(p.total, p.done, payload)
        isStarted = true
      } else {
        bar.setTotal(p.total)
        bar.update(p.done, payload)
      }
    },
    stop: () => {
      if (isStarted) bar.stop()
    },
  }
}
