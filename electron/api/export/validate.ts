import { CHART_KINDS } from '../contract/index.ts'
import type { ChartExportRequest } from '../contract/index.ts'
import { RequestError } from '../errors.ts'
import { validateGalleryChart, validateSweepChart } from './validate-robustness.ts'

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
  if (request.chart === 'matrix') return validateMatrix(request.matrix)
  if (request.chart === 'corruption-bars' || request.chart === 'severity-curves')
    return validateSweepChart(request.sweep)
  if (request.chart === 'corruption-gallery') return validateGalleryChart(request.gallery)
  if (request.chart !== 'metric-curves' && request.resultIds.length === 0)
    fail(`A '${request.chart}' chart needs at least one result.`)
}

const MAX_MATRIX_SIDE = 500

function validateMatrix(matrix: ChartExportRequest['matrix']): void {
  if (typeof matrix !== 'object' || matrix === null) fail("A 'matrix' chart needs its matrix.")
  const { rowKeys, columnKeys, values } = matrix
  const isKeys = (keys: unknown): keys is string[] =>
    Array.isArray(keys) && keys.every((k) => typeof k === 'string')
  if (!isKeys(rowKeys) || !isKeys(columnKeys))
    fail('matrix.rowKeys and columnKeys must be lists of names.')
  if (rowKeys.length === 0 || columnKeys.length === 0) fail('The matrix has no rows or no columns.')
  if (rowKeys.length > MAX_MATRIX_SIDE || columnKeys.length > MAX_MATRIX_SIDE)
    fail(
      `A matrix has at most ${MAX_MATRIX_SIDE} rows and columns, got ${rowKeys.length} × ${columnKeys.length}.`,
    )
  const isCell = (v: unknown): boolean =>
    v === null || (typeof v === 'number' && Number.isFinite(v))
  if (
    !Array.isArray(values) ||
    values.length !== rowKeys.length ||
    !values.every(
      (row) => Array.isArray(row) && row.length === columnKeys.length && row.every(isCell),
    )
  )
    fail(`matrix.values must be ${rowKeys.length} rows of ${columnKeys.length} numbers or nulls.`)
  if (typeof matrix.valueName !== 'string') fail('matrix.valueName must be a name.')
  for (const bound of ['min', 'max'] as const)
    if (!isCell(matrix[bound])) fail(`matrix.${bound} must be a number or null.`)
  if (matrix.mode !== 'absolute' && matrix.mode !== 'difference')
    fail(`Unknown matrix mode '${String(matrix.mode)}': use absolute or difference.`)
}

export function validateDataFormat(format: string): void {
  if (format !== 'csv' && format !== 'json')
    fail(`Unknown data format '${format}': use csv or json.`)
}
