import type { ProviderReport } from '../../electron/api/contract/index.ts'
import { PROVIDER_SPECS } from './provider-catalog.ts'

/**
 * The provider report of a backward graph. DirectML has no ScatterElements kernel with a
 * reduction (onnxruntime PR #14425): ORT places the MaxPool backward's scatters on CPU and copies
 * their tensors across, so the record says the run was mixed.
 */
export function withScatterPlacement(report: ProviderReport, scatterOps: number): ProviderReport {
  if (scatterOps === 0 || !report.attached.includes(PROVIDER_SPECS.dml.ortName)) return report
  const nodes = `${scatterOps} ScatterElements(reduction=add) node${scatterOps === 1 ? '' : 's'}`
  const note = `${nodes} of the MaxPool backward ran on CPU: DirectML has no kernel for a scatter with a reduction.`
  return { ...report, fallbackReason: [report.fallbackReason, note].filter(Boolean).join(' ') }
}
