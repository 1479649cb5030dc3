import { channel, id, object, text, writePath, nullable } from './channels.ts'
import type { ChannelSpecs } from './channels.ts'
import type { ChartKind } from './index.ts'
import type { GalleryChartData, SweepChartData } from './analyses/robustness.ts'

/**
 * A matrix drawn as a heatmap from values given with the request ('matrix' charts): CKA values,
 * computed on demand from the stored Grams, are no stored result of their own.
 */
export interface ChartMatrix {
  rowKeys: string[]
  columnKeys: string[]
  /** values[row][column]; null: n/a (drawn grey). */
  values: (number | null)[][]
  valueName: string
  /** The colour scale; null: from the values. */
  min: number | null
  max: number | null
  mode: 'absolute' | 'difference'
}

export interface ChartExportRequest {
  chart: ChartKind
  /** Results shown side by side; the first is the baseline when `baselineResultId` is null. */
  resultIds: number[]
  baselineResultId: number | null
  /** Runs for 'metric-curves'. */
  runIds: number[]
  /** View options, e.g. { metric: 'accuracy' }, { tap: 'layer2.1' }, { mode: 'difference' }. */
  options: Record<string, string | number | boolean>
  /** The values of a 'matrix' chart. */
  matrix?: ChartMatrix
  /** The sweep of a 'corruption-bars' or 'severity-curves' chart. */
  sweep?: SweepChartData
  /** The images of a 'corruption-gallery' figure. */
  gallery?: GalleryChartData
  theme: 'light' | 'dark'
  format: 'svg' | 'png'
  width: number
  height: number
}

export interface ExportedFile {
  fileName: string
  mimeType: string
  /** Text for SVG, CSV and JSON; base64 for PNG. */
  content: string
  encoding: 'utf8' | 'base64'
  /** Where it was written, when an output path was given. */
  path: string | null
}

export interface BulkExportReport {
  path: string
  rows: number
  results: number
}

export interface ExportInvoke {
  'export:chart': (request: ChartExportRequest, outPath: string | null) => ExportedFile
  'export:data': (resultId: number, format: 'csv' | 'json', outPath: string | null) => ExportedFile
  /** Every result of a run (or of the workspace when null) as one tidy CSV. */
  'export:bulk': (runId: number | null, outPath: string) => BulkExportReport
}
export const EXPORT_CHANNELS = {
  'export:chart': channel([object('request'), nullable(writePath('outPath'))]),
  'export:data': channel([
    id('resultId'),
    text('format', ['csv', 'json']),
    nullable(writePath('outPath')),
  ]),
  'export:bulk': channel([nullable(id('runId')), writePath('outPath')]),
} as const satisfies ChannelSpecs<ExportInvoke>
