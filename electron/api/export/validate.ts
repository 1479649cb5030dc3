import type { ChartExportRequest, ChartKind } from '../contract.ts'
import { RequestError } from '../errors.ts'

export const CHART_KINDS: readonly ChartKind[] = [
  'metric-curves',
  'reliability',
  'confusion',
  'per-class',
  'layer-bars',
  'tap-histogram',
]

const MAX_SIDE = 8000

function fail(message: string): never {
  throw new RequestError('INVALID_ARGUMENT', message)
}

const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0

/** Refuses a malformed chart export request with a sentence naming the field. */
export function validateChartRequest(request: ChartExportRequest): void {
  if (!CHART_KINDS.includes(request.chart))
    fail(`Unknown chart '${String(request.chart)}': use ${CHART_KINDS.join(', ')}.`)
  if (request.format !== 'svg' && request.format !== 'png')
    fail(`Unknown image format '${String(request.format)}': use svg or png.`)
  if (request.theme !== 'light' && request.theme !== 'dark')
    fail(`Unknown theme '${String(request.theme)}': use light or dark.`)
  for (const side of ['width', 'height'] as const)
    if (!Number.isInteger(request[side]) || request[side] < 100 || request[side] > MAX_SIDE)
      fail(
        `The ${side} must be a whole number of pixels from 100 to ${MAX_SIDE}, got ${request[side]}.`,
      )
  if (!Array.isArray(request.resultIds) || !request.resultIds.every(isId))
    fail('resultIds must be a list of result ids.')
  if (!Array.isArray(request.runIds) || !request.runIds.every(isId))
    fail('runIds must be a list of run ids.')
  if (request.baselineResultId !== null && !isId(request.baselineResultId))
    fail(`baselineResultId must be a result id or null, got ${String(request.baselineResultId)}.`)
  if (typeof request.options !== 'object' || request.options === null)
    fail('options must be an object of names to values.')
  if (request.chart === 'metric-curves' && request.runIds.length === 0)
    fail("A 'metric-curves' chart needs at least one run.")
  if (request.chart !== 'metric-curves' && request.resultIds.length === 0)
    fail(`A '${request.chart}' chart needs at least one result.`)
}

export function validateDataFormat(format: string): void {
  if (format !== 'csv' && format !== 'json')
    fail(`Unknown data format '${format}': use csv or json.`)
}
