import type { ServiceHandlers } from '../dispatch.ts'
import { RequestError } from '../errors.ts'
import type { WorkbenchService } from '../service.ts'

type ExportChannel = 'export:chart' | 'export:data' | 'export:bulk'

/** Chart and data export over the stored results (ECharts SSR → SVG, sharp → PNG; CSV, JSON). */
export function exportHandlers(_service: WorkbenchService): Pick<ServiceHandlers, ExportChannel> {
  const pending = (): Promise<never> =>
    Promise.reject(new RequestError('INTERNAL', 'Export is not built yet.'))
  return { 'export:chart': pending, 'export:data': pending, 'export:bulk': pending }
}
