import type { ChartSpec } from './options/chart-data.ts'

/** What a view shows: the export request without the parts the panel decides at export time. */
export type ChartRequest = ChartSpec
