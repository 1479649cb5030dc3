import type {
  AcgcChoice,
  BitAccounting,
  CompressionResult,
  EstimateInterval,
  MeanStd,
  MonotonicityReport,
  OutputDivergence,
  ResultInfo,
  RunDetail,
} from '../../api/contract/index.ts'
import { formatTable } from '../format.ts'
import type { Output } from '../output.ts'

/** One checkpoint's result, labelled as the run names it. */
export interface CheckpointCompression {
  label: string
  result: ResultInfo<CompressionResult>
}

export const BITS_MEANING =
  'b as AC-GC counts it: 2^b grid steps per unit of the scaled value (a signed tensor takes 2^(b+1) levels; the fixed 8-bit baseline of the paper is b = 7)'

// A stored payload went through JSON, where a NaN became null: both print as 'n/a', not a crash.
const orMissing =
  (format: (x: number) => string) =>
  (x: number | null): string =>
    x === null || Number.isNaN(x) ? 'n/a' : format(x)

const pct = orMissing((x) => `${(100 * x).toFixed(2)}%`)
const points = orMissing((x) => `${x < 0 ? '−' : '+'}${Math.abs(100 * x).toFixed(2)}`)
const fixed = orMissing((x) => x.toFixed(2))

/** Three significant digits; tiny or huge values in exponent form. */
export const significant = orMissing((x) => {
  if (x === 0) return '0'
  const size = Math.abs(x)
  return size < 1e-3 || size >= 1e5 ? x.toExponential(2) : x.toPrecision(3)
})

const deltaCell = (d: EstimateInterval): string =>
  `${points(d.estimate)} [${points(d.lower)}, ${points(d.upper)}] pp`
const klCell = (kl: EstimateInterval): string =>
  `${significant(kl.estimate)} [${significant(kl.lower)}, ${significant(kl.upper)}]`
const spread = ({ mean, std }: MeanStd): string => `${significant(mean)} ± ${significant(std)}`
const bitsAndRatio = (bits: number, ratio: number): string =>
  `${fixed(bits)} bits (${fixed(ratio)}×)`

function describeMeasurement(result: ResultInfo<CompressionResult>): string {
  const p = result.payload
  const count = (kind: string) => p.sites.filter((site) => site.kind === kind).length
  const bn = p.isBnFolded
    ? 'BatchNorm folded into the convolutions (no BatchNorm inputs to compress)'
    : 'BatchNorm kept'
  return `${result.provenance.modelFile}: the ${p.sites.length} activations kept for the backward pass (conv inputs: ${count('conv-input')}, BatchNorm inputs: ${count('bn-input')}) fake-quantized per channel on ${p.numImages} images in batches of ${p.compressionBatch} (scale: each batch's max |x|), ${bn} (result ${result.id})`
}

function printTogether(p: CompressionResult, out: Output): void {
  const together = p.sweep.filter((point) => point.siteId === null)
  if (together.length === 0) return
  out.text('every site quantized together, against the unquantized model on the same images:')
  const rows = together.map(({ bits, divergence: d }) => [
    String(bits),
    pct(d.top1),
    deltaCell(d.top1Delta),
    significant(d.top1Delta.pValue),
    klCell(d.kl),
    significant(d.maxAbsLogitDelta.mean),
    pct(d.changedPredictions),
  ])
  const header = ['b', 'top-1', 'Δ top-1 [95%]', 'McNemar p', 'KL nats [95%]']
  out.text(formatTable([...header, 'mean max|Δlogit|', 'changed top-1'], rows))
}

function printEachAlone(p: CompressionResult, out: Output): void {
  const alone = p.sweep.filter((point) => point.siteId !== null)
  if (alone.length === 0) return
  const kl = new Map(alone.map((point) => [`${point.siteId}@${point.bits}`, point.divergence.kl]))
  const measured = new Set(alone.map((point) => point.siteId))
  const siteIds = p.sites.map((site) => site.id).filter((id) => measured.has(id))
  const cell = (id: string, b: number) => {
    const interval = kl.get(`${id}@${b}`)
    return interval === undefined ? '–' : significant(interval.estimate)
  }
  out.text('each site quantized alone: mean KL(unquantized ‖ quantized) in nats')
  out.text(
    formatTable(
      ['site', ...p.bits.map((b) => `b=${b}`)],
      siteIds.map((id) => [id, ...p.bits.map((b) => cell(id, b))]),
    ),
  )
}

const accountingLine = (a: BitAccounting): string =>
  `${bitsAndRatio(a.meanBits, a.ratio)}, with zero-value compression ${bitsAndRatio(a.meanBitsZeroValue, a.ratioZeroValue)}`

function divergenceLine(d: OutputDivergence): string {
  return `top-1 ${pct(d.top1)} (Δ ${deltaCell(d.top1Delta)}, McNemar p ${significant(d.top1Delta.pValue)}), KL ${klCell(d.kl)} nats, ${pct(d.changedPredictions)} of predictions changed`
}

function printAcgc(acgc: AcgcChoice, p: CompressionResult, out: Output): void {
  out.text(
    `AC-GC bit choice: tolerance e = ${acgc.tolerance} (linear in the bound, e·Σ‖∇W‖², as in the reference code), gradient statistics averaged over ${acgc.batches} batch${acgc.batches === 1 ? '' : 'es'} of ${p.compressionBatch}; ratio = 32 / mean bits`,
  )
  out.text(
    `  all sites: ${accountingLine(acgc.accounting)}; intrinsic ${fixed(acgc.accounting.intrinsicBits)} bits; per batch ${fixed(acgc.accounting.meanBitsOverBatches.mean)} ± ${fixed(acgc.accounting.meanBitsOverBatches.std)} bits`,
  )
  const kind = (a: BitAccounting | null) => (a === null ? 'none' : accountingLine(a))
  out.text(`  conv inputs (CNV): ${kind(acgc.byKind['conv-input'])}`)
  out.text(`  BatchNorm inputs (BN): ${kind(acgc.byKind['bn-input'])}`)
  out.text(`  forward pass at AC-GC's widths: ${divergenceLine(acgc.forward)}`)
  const siteRows = acgc.sites.map((site) => [
    site.siteId,
    String(site.bits.length),
    fixed(site.accounting.meanBits),
    fixed(site.accounting.meanBitsZeroValue),
    fixed(site.intrinsicBits),
  ])
  out.text(formatTable(['site', 'channels', 'mean bits', 'zero-value bits', 'intrinsic'], siteRows))
  out.text("parameter-gradient norms, exact activations against AC-GC's (mean ± std over batches):")
  const row = (label: string, depth: string, g: AcgcChoice['totalGradient']) => [
    depth,
    label,
    spread(g.exact),
    spread(g.quantized),
    spread(g.relativeChange),
  ]
  const gradientRows = acgc.gradients.map((g) => row(g.layerKey, String(g.depth), g))
  const header = ['depth', 'layer', '‖∇‖ exact', '‖∇‖ AC-GC', 'relative change']
  out.text(formatTable(header, [...gradientRows, row('total', '', acgc.totalGradient)]))
}

const MEASURES: Record<MonotonicityReport['measure'], string> = {
  kl: 'KL',
  'top1-error': 'top-1 error',
}

/** The reports where the error rose with a larger b; one line when it never did. */
export function monotonicityLines(reports: MonotonicityReport[]): string[] {
  const violated = reports.filter((report) => !report.isMonotonic)
  if (reports.length > 0 && violated.length === 0)
    return [`the error falls with every larger b in all ${reports.length} curves checked`]
  return violated.map((report) => {
    const rises = report.violations.map(
      (v) => `from b=${v.fromBits} to b=${v.toBits} by ${significant(v.increase)}`,
    )
    const scope = report.siteId ?? 'every site together'
    return `not monotonic: ${MEASURES[report.measure]} of ${scope} rose ${rises.join(', ')}`
  })
}

/** One checkpoint: what was measured, the sweep, AC-GC's choice and the monotonicity reports. */
export function printCompression(result: ResultInfo<CompressionResult>, out: Output): void {
  const p = result.payload
  out.text(describeMeasurement(result))
  out.text(BITS_MEANING)
  out.text(`unquantized top-1 ${pct(p.top1.estimate)} [${pct(p.top1.lower)}, ${pct(p.top1.upper)}]`)
  printTogether(p, out)
  printEachAlone(p, out)
  if (p.acgc !== null) printAcgc(p.acgc, p, out)
  for (const line of monotonicityLines(p.monotonicity)) out.text(line)
}

/** Checkpoints down: AC-GC's ratio and mean bits, and the top-1 change at each b together. */
export function printCompressionRun(
  run: RunDetail,
  computed: CheckpointCompression[],
  out: Output,
): void {
  const bits = computed[0]?.result.payload.bits ?? []
  out.text(
    `run '${run.name}': AC-GC compression and the top-1 change (pp) with every site quantized together, at ${computed.length} checkpoints; ${BITS_MEANING}`,
  )
  const rows = computed.map(({ label, result }) => {
    const p = result.payload
    const delta = (b: number) => {
      const point = p.sweep.find((s) => s.siteId === null && s.bits === b)
      return point === undefined ? '–' : points(point.divergence.top1Delta.estimate)
    }
    const a = p.acgc?.accounting
    return [
      label,
      pct(p.top1.estimate),
      a === undefined ? '–' : `${fixed(a.ratio)}×`,
      a === undefined ? '–' : fixed(a.meanBits),
      ...bits.map(delta),
    ]
  })
  const header = ['checkpoint', 'top-1', 'AC-GC ratio', 'mean bits', ...bits.map((b) => `b=${b}`)]
  out.text(formatTable(header, rows))
}
