// The CKA benchmark's report: what tests/bench/last-cka-run.json holds and its Markdown table.
import type { GramShare } from './cka-gram-share.ts'
import type { CopyOutRun } from './cka-copy-out.ts'
import type { JobTiming } from './cka-jobs.ts'
import type { MachineInfo } from './report.ts'

export interface CkaBenchReport {
  startedAt: string
  elapsedSeconds: number
  machine: Omit<MachineInfo, 'torch'>
  model: string
  dataset: string
  /** N for (1), (2), (4) and the large N for (3). */
  images: number
  largeImages: number
  n: number
  taps: { key: string; features: number }[]
  /** (1) and (2) alternate, `repeats` times each. */
  evaluate: JobTiming[]
  grams: JobTiming[]
  /** (1) and (2) again, each in a new engine process. */
  evaluateCold: JobTiming[]
  gramsCold: JobTiming[]
  gramsLarge: JobTiming
  ckaStep: { seconds: number[]; engineRuns: number }
  gramShare: GramShare | null
  copyOut: CopyOutRun | null
  copyOutSkipped: string | null
  /** Σ features × 4 bytes × N: what copy-out keeps at N and at the large N. */
  copyOutBytes: { images: number; bytes: number }[]
  checks: string[]
  notes: string[]
}

export const mean = (values: number[]): number =>
  values.reduce((sum, v) => sum + v, 0) / values.length
const seconds = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} s`
const megabytes = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? '–' : `${Math.round(bytes / 2 ** 20)} MB`
const gigabytes = (bytes: number): string => `${(bytes / 1e9).toFixed(1)} GB`
const percent = (value: number): string => `${(value * 100).toFixed(0)} %`
const times = (value: number): string => `${value.toFixed(2)}×`
const maxOf = (values: (number | null)[]): number | null =>
  values.every((v) => v === null) ? null : Math.max(...values.map((v) => v ?? 0))

function jobRows(report: CkaBenchReport): string[] {
  const evalWall = mean(report.evaluate.map((j) => j.wallSeconds))
  const evalLoop = mean(report.evaluate.map((j) => j.loopSeconds))
  const gramWall = mean(report.grams.map((j) => j.wallSeconds))
  const gramLoop = mean(report.grams.map((j) => j.loopSeconds))
  const first = report.grams[0]?.grams
  const rss512 = maxOf(report.grams.map((j) => j.enginePeakRssBytes))
  const large = report.gramsLarge
  const cka = report.ckaStep
  // (3) runs in the engine the last new-engine (2) started, which holds only the Gram session;
  // the warm (2) engine also holds (1)'s session, so compare like with like.
  const rssCold = maxOf(report.gramsCold.map((j) => j.enginePeakRssBytes))
  const rssBase = rssCold ?? rss512
  const rssLabel = rssCold === null ? 'warm' : 'new-engine job'
  return [
    `(1) evaluation job, batch ${report.n} | ${report.images} | ${seconds(evalWall)} (batches ${seconds(evalLoop)}) | 1.00× | ${megabytes(maxOf(report.evaluate.map((j) => j.enginePeakRssBytes)))} | ${(report.images / evalLoop).toFixed(1)} img/s over the batches; mean of ${report.evaluate.length}`,
    `(2) CKA Gram job, n = ${report.n}, ${report.taps.length} taps | ${report.images} | ${seconds(gramWall)} (batches ${seconds(gramLoop)}) | **${times(gramWall / evalWall)}** (batches ${times(gramLoop / evalLoop)}) | ${megabytes(rss512)} | ${first?.batches ?? '–'} batches of ${first?.n ?? '–'}, ${first?.droppedImages ?? '–'} dropped; mean of ${report.grams.length}`,
    ...coldRows(report),
    `CKA from the stored Grams (the derived CKA path, within, 18×18 minibatch) | ${report.images} | ${seconds(mean(cka.seconds))} | ${times(mean(cka.seconds) / evalWall)} | – | service process; ${cka.engineRuns} engine runs; mean of ${cka.seconds.length}`,
    `(3) CKA Gram job, n = ${report.n} | ${large.images} | ${seconds(large.wallSeconds)} (batches ${seconds(large.loopSeconds)}) | – | ${megabytes(large.enginePeakRssBytes)} (**${rssBase === null || large.enginePeakRssBytes === null ? '–' : times(large.enginePeakRssBytes / rssBase)}** of N = ${report.images}, ${rssLabel}) | ${large.grams?.batches ?? '–'} batches of ${large.grams?.n ?? '–'}`,
  ]
}

function coldRows(report: CkaBenchReport): string[] {
  if (report.evaluateCold.length === 0) return []
  const evalWall = mean(report.evaluateCold.map((j) => j.wallSeconds))
  const gramWall = mean(report.gramsCold.map((j) => j.wallSeconds))
  const rss = (jobs: JobTiming[]): string => megabytes(maxOf(jobs.map((j) => j.enginePeakRssBytes)))
  return [
    `(1) evaluation job, new engine | ${report.images} | ${seconds(evalWall)} | 1.00× | ${rss(report.evaluateCold)} | mean of ${report.evaluateCold.length}`,
    `(2) CKA Gram job, new engine | ${report.images} | ${seconds(gramWall)} | **${times(gramWall / evalWall)}** of the new-engine (1) | ${rss(report.gramsCold)} | mean of ${report.gramsCold.length}`,
  ]
}

function shareRows(share: GramShare | null): string[] {
  if (share === null) return []
  const fwd = share.forwardSeconds
  return [
    `Gram share: plain forward pass, 1 batch | ${share.n} | ${seconds(fwd)} | – | – | bench process, median of ${share.repeats}`,
    `Gram share: the Gram job's graph, 1 batch | ${share.n} | ${seconds(share.gramGraphSeconds)} | ${times(share.gramGraphSeconds / fwd)} of forward | – | share by difference **${percent(share.shareByDifference)}**`,
    `Gram share: the 18 centered Grams alone | ${share.n} | ${seconds(share.gramsOnlySeconds)} | ${times(share.gramsOnlySeconds / fwd)} of forward | – | **${percent(share.shareGramsOnly)}** of the Gram graph's time`,
  ]
}

function copyOutRows(report: CkaBenchReport, evalWall: number): string[] {
  const rows: string[] = []
  const run = report.copyOut
  const stored = (images: number): string =>
    gigabytes(report.copyOutBytes.find((b) => b.images === images)?.bytes ?? Number.NaN)
  if (run !== null) {
    const s = run.result.seconds
    rows.push(
      `(4) copy-out: forward passes + copy of the 18 taps | ${report.images} | ${seconds(s.forwardAndCopy)} | – | – | keeps ${stored(report.images)} of activations`,
      `(4) copy-out: ${report.images}×${report.images} centered Grams (ORT) | ${report.images} | ${seconds(s.grams)} | – | – | 18 taps`,
      `(4) copy-out: 18×18 CKA (linear, debiased, minibatch) | ${report.images} | ${seconds(s.cka)} | – | – | float64`,
      `(4) copy-out, whole process | ${report.images} | ${seconds(run.wallSeconds)} | ${times(run.wallSeconds / evalWall)} | ${megabytes(run.result.peakRssBytes)} | its own process`,
    )
  } else {
    rows.push(`(4) copy-out | ${report.images} | not run | – | – | ${report.copyOutSkipped ?? ''}`)
  }
  rows.push(
    `(4) copy-out | ${report.largeImages} | not run | – | ≈ ${stored(report.largeImages)} | activations alone exceed the ${report.machine.memoryGiB} GiB machine`,
  )
  return rows
}

export function ckaMarkdown(report: CkaBenchReport): string {
  const m = report.machine
  const load = (l: number[]): string => l.map((v) => v.toFixed(2)).join(' ')
  const evalWall = mean(report.evaluate.map((j) => j.wallSeconds))
  return [
    `### CKA benchmark (${report.startedAt}, ${report.elapsedSeconds.toFixed(0)} s)`,
    '',
    `${report.model}. ${report.dataset}.`,
    '',
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB; load average before ${load(m.loadBefore)}, after ${load(m.loadAfter)}; training: ${m.training}; Node ${m.node}, onnxruntime-node ${m.onnxruntime} (intra-op threads ${m.ortIntraOpThreads}).`,
    '',
    'step | N | wall time | × (1) | peak RSS | notes',
    '---|--:|--:|--:|--:|---',
    ...jobRows(report),
    ...shareRows(report.gramShare),
    ...copyOutRows(report, evalWall),
    '',
    ...report.checks.map((c) => `- check: ${c}`),
    ...report.notes.map((n) => `- ${n}`),
  ].join('\n')
}
