import type { Preprocessing } from '../../electron/api/contract/index.ts'
import type { Measurement } from './bare-ort.ts'
import { corruptionTable, weightNoiseLines } from './corruption-report.ts'
import type { ForwardRates } from './corruption-report.ts'
import type { CorruptionRates } from './corruption-rates.ts'
import type { WeightNoiseSampleCost } from './weight-noise-sample.ts'

export type VariantKey = 'a' | 'b' | 'c' | 'c0' | 'd' | 'e' | 'e0' | 'f' | 'f0' | 'torch'

export interface VariantRow extends Measurement {
  key: VariantKey
  name: string
  tensorCache?: unknown
  decodedImageCache?: unknown
}

export interface ResolutionResult {
  label: string
  images: number
  jpeg: string
  preprocessing: Preprocessing
  rows: VariantRow[]
}

export interface MachineInfo {
  cores: number
  cpu: string
  memoryGiB: number
  loadBefore: number[]
  loadAfter: number[]
  training: string
  node: string
  onnxruntime: string
  ortIntraOpThreads: number
  torch: string | null
}

export interface BenchReport {
  startedAt: string
  elapsedSeconds: number
  machine: MachineInfo
  model: string
  batchSize: number
  resolutions: ResolutionResult[]
  corruptionRates: CorruptionRates[]
  weightNoise: WeightNoiseSampleCost | null
  notes: string[]
}

const fixed = (value: number | null, digits: number): string =>
  value === null ? '–' : value.toFixed(digits)
const megabytes = (bytes: number | null): string =>
  bytes === null ? '–' : String(Math.round(bytes / 2 ** 20))

function ratioTo(base: number | undefined, value: number | null): string {
  return base === undefined || value === null ? '–' : `${(value / base).toFixed(2)}×`
}

function rowsOf(result: ResolutionResult): string[] {
  const a = result.rows.find((row) => row.key === 'a')?.loopImagesPerSecond
  return result.rows.map((row) =>
    [
      ...[result.label, `(${row.key}) ${row.name}`, String(row.images)],
      ...[fixed(row.loopImagesPerSecond, 1), ratioTo(a, row.loopImagesPerSecond)],
      ...[fixed(row.jobImagesPerSecond, 1), ratioTo(a, row.jobImagesPerSecond)],
      ...[megabytes(row.peakRssBytes), row.note],
    ].join(' | '),
  )
}

function machineLine(m: MachineInfo): string {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ')
  return [
    `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB`,
    `load average before ${load(m.loadBefore)}, after ${load(m.loadAfter)}`,
    `training: ${m.training}`,
    `Node ${m.node}, onnxruntime-node ${m.onnxruntime} (intra-op threads ${m.ortIntraOpThreads})`,
    `PyTorch: ${m.torch ?? 'not installed (skipped)'}`,
  ].join('; ')
}

/** The README-ready Markdown: machine, one table for both resolutions, notes. */
export function markdownReport(report: BenchReport): string {
  const header = [
    'size | variant | images | img/s (batches) | × a | img/s (whole job) | × a | peak RSS MB | notes',
    '---|---|--:|--:|--:|--:|--:|--:|---',
  ]
  const inputs = report.resolutions.map(
    (r) => `- ${r.label}: ${r.images} seeded JPEGs of ${r.jpeg}, ${describe(r.preprocessing)}`,
  )
  return [
    `### Benchmark (${report.startedAt}, ${report.elapsedSeconds.toFixed(0)} s)`,
    '',
    `${report.model}; batch ${report.batchSize}.`,
    '',
    ...inputs,
    '',
    `Machine: ${machineLine(report.machine)}.`,
    '',
    ...header,
    ...report.resolutions.flatMap(rowsOf),
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
    ...corruptionTable(report.corruptionRates, forwardRates(report)),
    '',
    ...weightNoiseLines(report.weightNoise),
  ].join('\n')
}

function forwardRates(report: BenchReport): ForwardRates {
  return Object.fromEntries(
    report.resolutions.map((r) => [
      r.label,
      r.rows.find((row) => row.key === 'a')?.loopImagesPerSecond,
    ]),
  )
}

function describe(p: Preprocessing): string {
  const resize = p.resize === null ? '' : `Resize(${p.resize}) + `
  return `${resize}CenterCrop(${p.centerCrop ?? '–'}) + ImageNet mean/std → [N, 3, ${p.inputSize.join(', ')}]`
}
