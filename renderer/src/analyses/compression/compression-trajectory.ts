import type {
  CompressionResult,
  ResultInfo,
  ResultSummary,
} from '../../../../electron/api/contract/index.ts'
import type { LabeledResult } from '../../charts/options/chart-data.ts'

/**
 * Results whose statistics can sit in one site × epoch strip: the same images and the same
 * images per batch (the per-channel scale is each batch's max |x|). Widths, sweeps and AC-GC
 * settings may differ.
 */
export function isSameCompressionProtocol(
  a: ResultSummary | ResultInfo,
  b: ResultSummary | ResultInfo,
): boolean {
  return (
    a.provenance.datasetFingerprint === b.provenance.datasetFingerprint &&
    a.provenance.parameters['compressionBatch'] === b.provenance.parameters['compressionBatch']
  )
}

/**
 * What the AC-GC strip mixes, if anything: checkpoints computed without AC-GC (blank cells), or
 * with different tolerances e (widths not comparable). '' when every result has the same e.
 */
export function acgcTrajectoryNote(results: LabeledResult<CompressionResult>[]): string {
  const without = results.filter((r) => r.payload.acgc === null).map((r) => r.label)
  const tolerances = [
    ...new Set(results.flatMap((r) => (r.payload.acgc ? [r.payload.acgc.tolerance] : []))),
  ].sort((x, y) => x - y)
  const parts = [
    ...(tolerances.length > 1
      ? [`AC-GC's widths use e = ${tolerances.join(', ')}: compare the cells of one e only`]
      : []),
    ...(without.length > 0 ? [`no AC-GC bit choice at ${without.join(', ')} (blank)`] : []),
  ]
  return parts.length === 0 ? '' : `${parts.join('; ')}.`
}
