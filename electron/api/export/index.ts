import type { ChartExportRequest, ExportedFile } from '../contract/index.ts'
import type { ServiceHandlers } from '../dispatch.ts'
import { RequestError } from '../errors.ts'
import type { WorkbenchService } from '../service.ts'
import { chartOption } from '../../../renderer/src/charts/options/chart-option.ts'
import { exportBulk } from './bulk.ts'
import { loadChartData } from './chart-data.ts'
import { resultContexts } from './context.ts'
import { figureTitle } from './figure-title.ts'
import { withGalleryImages } from './gallery-figure.ts'
import { chartFileName, exportedFile } from './files.ts'
import { TIDY_HEADER, tidyCsvLines } from './tidy-csv.ts'
import { validateChartRequest, validateDataFormat } from './validate.ts'

type ExportChannel = 'export:chart' | 'export:data' | 'export:bulk'

/** options.pixelRatio (1 to 4): a PNG with that many pixels per layout pixel, same layout. */
function pixelRatioOf(request: ChartExportRequest): number {
  const ratio = Number(request.options['pixelRatio'] ?? 1)
  if (!(ratio >= 1 && ratio <= 4))
    throw new RequestError(
      'INVALID_ARGUMENT',
      `pixelRatio must be from 1 to 4, got ${String(request.options['pixelRatio'])}.`,
    )
  return ratio
}

/** Renders a chart exactly as the views build it: the same option builder, ECharts SSR, sharp. */
export async function exportChart(
  service: WorkbenchService,
  asked: ChartExportRequest,
  outPath: string | null,
): Promise<ExportedFile> {
  validateChartRequest(asked)
  const request = await withGalleryImages(service, asked)
  const data = loadChartData(service, request)
  const size = { width: request.width, height: request.height }
  // A figure says what it shows: as its title, or under the title the request sets (the app's
  // panel title); '' for either leaves it out.
  const described = figureTitle(service, request, data)
  const hasTitle = Object.hasOwn(request.options, 'title')
  const title = hasTitle ? request.options['title'] : described
  const caption = Object.hasOwn(request.options, 'caption')
    ? request.options['caption']
    : hasTitle && request.options['title'] !== ''
      ? described
      : ''
  const option = chartOption(
    { ...request, options: { ...request.options, title, caption } },
    data,
    request.theme,
    size,
  )
  // ECharts and sharp load on the first export, not with every host and CLI command.
  const { rasterize, renderSvg } = await import('./render.ts')
  const svg = renderSvg(option, size)
  const content = request.format === 'svg' ? svg : await rasterize(svg, size, pixelRatioOf(request))
  return exportedFile(chartFileName(request), request.format, content, outPath)
}

/** One stored result as tidy CSV, or as JSON holding its payload and provenance exactly. */
export async function exportData(
  service: WorkbenchService,
  resultId: number,
  format: 'csv' | 'json',
  outPath: string | null,
): Promise<ExportedFile> {
  validateDataFormat(format)
  const result = service.getResult(resultId)
  const fileName = `result-${result.id}-${result.kind}.${format}`
  if (format === 'json') {
    const { isCached: _isCached, ...stored } = result
    return exportedFile(fileName, format, JSON.stringify(stored, null, 2) + '\n', outPath)
  }
  const lines = tidyCsvLines(resultContexts(service)(result), result.payload)
  return exportedFile(fileName, format, TIDY_HEADER + lines.text, outPath)
}

/** Chart and data export over the stored results (ECharts SSR → SVG, sharp → PNG; CSV, JSON). */
export function exportHandlers(service: WorkbenchService): Pick<ServiceHandlers, ExportChannel> {
  return {
    'export:chart': (request, outPath) => exportChart(service, request, outPath),
    'export:data': (resultId, format, outPath) => exportData(service, resultId, format, outPath),
    'export:bulk': (runId, outPath) => {
      if (typeof outPath !== 'string' || outPath === '')
        throw new RequestError(
          'INVALID_ARGUMENT',
          'A bulk export needs the path of the CSV to write.',
        )
      return exportBulk(service, runId, outPath)
    },
  }
}
