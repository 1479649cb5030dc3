// The reference trainer (tests/reference/train_all.sh) shares the two cores with the benchmark.
// Pausing it gives cleaner numbers; it must never stay stopped, whatever way the bench ends.
import { execFileSync, spawn } from 'node:child_process'

export interface TrainingPause {
  pids: number[]
  resume(): void
}

export function trainingPids(pattern = 'train_fmnist'): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' })
    return out.split('\n').filter(Boolean).map(Number)
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

/** SIGSTOPs the trainer; SIGCONTs it on resume(), on exit or signal, and (watchdog) on a kill -9. */
export function pauseTraining(pids: number[]): TrainingPause {
  if (pids.length === 0) return { pids, resume: () => undefined }
  startResumeWatchdog(pids)
  let isPaused = true
  const resume = (): void => {
    if (!isPaused) return
    isPaused = false
    for (const pid of pids) signal(pid, 'SIGCONT')
  }
  process.on('exit', resume)
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(name, () => {
      resume()
      process.exit(130)
    })
  }
  for (const pid of pids) signal(pid, 'SIGSTOP')
  return { pids, resume }
}

// A detached shell outlives this process: if the bench is killed outright (no exit handler
// runs), it still resumes the trainer within a second.
function startResumeWatchdog(pids: number[]): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -CONT ${pids.join(' ')} 2>/dev/null`
  spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref()
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // the trainer may have finished meanwhile
  }
}

/** How the reference training stood during a benchmark, for its report. */
export function describeTraining(pids: number[], isPaused: boolean): string {
  if (pids.length === 0) return 'none running'
  const list = pids.join(', ')
  return isPaused ? `paused for the run (SIGSTOP pids ${list})` : `running alongside (pids ${list})`
}
