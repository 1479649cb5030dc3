import type { ChartExportRequest } from '../../../electron/api/contract.ts'

/** What a view shows: the export request without the parts the panel decides at export time. */
export type ChartRequest = Omit<ChartExportRequest, 'theme' | 'format' | 'width' | 'height'>
