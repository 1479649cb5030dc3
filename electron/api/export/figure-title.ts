import { basename } from 'node:path'
import type { ChartExportRequest } from '../contract/index.ts'
import type { WorkbenchService } from '../service.ts'
import type { ChartData } from '../../../renderer/src/charts/options/chart-data.ts'

/**
 * What a figure shows, for its title when the request gives none: the checkpoints (or runs), the
 * images and how many, e.g. 'seed0@3 vs seed1@3 · fmnist (t10k), n = 2,000'.
 */
export function figureTitle(
  service: WorkbenchService,
  request: ChartExportRequest,
  data: ChartData,
): string {
  if (data.results.length === 0) return data.runs.map((run) => run.name).join(' vs ')
  const who = data.results.map((r) => r.label).join(' vs ')
  const { provenance, payload } = service.getResult(data.results[0].id)
  const dataset = provenance.dataset
  if (dataset === null) return who
  const split = dataset.split ? ` (${dataset.split})` : ''
  const n = (payload as { numImages?: unknown }).numImages
  const count = typeof n === 'number' ? `, n = ${n.toLocaleString('en')}` : ''
  const isMatrix = request.chart === 'matrix'
  return isMatrix ? who : `${who} · ${basename(dataset.path)}${split}${count}`
}
