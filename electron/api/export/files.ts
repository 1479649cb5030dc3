import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { ChartExportRequest, ExportedFile } from '../contract/index.ts'

const MIME_TYPES = {
  svg: 'image/svg+xml',
  png: 'image/png',
  csv: 'text/csv',
  json: 'application/json',
} as const

export type FileFormat = keyof typeof MIME_TYPES

/** 'reliability-3-5.svg', 'metric-curves-runs-1-2.png'; a matrix, sweep or gallery: options.fileName. */
export function chartFileName(request: ChartExportRequest): string {
  const named = request.options['fileName']
  if (request.chart === 'matrix' || request.sweep || request.gallery)
    return `${typeof named === 'string' && named ? named.replace(/[^\w.@-]+/g, '_') : request.chart}.${request.format}`
  const ids =
    request.chart === 'metric-curves'
      ? ['runs', ...request.runIds]
      : [
          ...(request.baselineResultId === null ? [] : [request.baselineResultId]),
          ...request.resultIds,
        ]
  return `${[request.chart, ...new Set(ids)].join('-')}.${request.format}`
}

/** The file as the channel returns it, written to `outPath` first when one is given. */
export async function exportedFile(
  fileName: string,
  format: FileFormat,
  content: string | Buffer,
  outPath: string | null,
): Promise<ExportedFile> {
  let path: string | null = null
  if (outPath !== null) {
    path = resolve(outPath)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, content)
  }
  const isText = typeof content === 'string'
  return {
    fileName,
    mimeType: MIME_TYPES[format],
    content: isText ? content : content.toString('base64'),
    encoding: isText ? 'utf8' : 'base64',
    path,
  }
}
