import type { ChartExportRequest } from '../contract/index.ts'
import { RequestError } from '../errors.ts'

function fail(message: string): never {
  throw new RequestError('INVALID_ARGUMENT', message)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

/** A sweep chart's data: the sweep as 'robustness:sweep' (or `corrupt --json`) gives it. */
export function validateSweepChart(data: ChartExportRequest['sweep']): void {
  if (!isObject(data) || !isObject(data.sweep))
    fail("A sweep chart needs its sweep: the output of 'corrupt --json' (or robustness:sweep).")
  const checkpoints = data.sweep.checkpoints
  if (!Array.isArray(checkpoints) || checkpoints.length === 0) fail('The sweep has no checkpoints.')
  if (!checkpoints.every((c) => isObject(c) && Array.isArray(c.corruptionAccuracy)))
    fail('The sweep has no per-corruption accuracies (made by an older version): compute it again.')
  if (
    !Array.isArray(data.labels) ||
    data.labels.length !== checkpoints.length ||
    !data.labels.every((label) => typeof label === 'string')
  )
    fail(`sweep.labels must name each of the ${checkpoints.length} checkpoints.`)
}

/**
 * A gallery figure's data: what 'robustness:gallery' was asked (checked when the export makes the
 * images), and the images when they are given.
 */
export function validateGalleryChart(data: ChartExportRequest['gallery']): void {
  if (!isObject(data) || !isObject(data.request))
    fail("A 'corruption-gallery' figure needs its gallery request (as robustness:gallery takes).")
  if (data.className !== null && typeof data.className !== 'string')
    fail('gallery.className must be a name or null.')
  if (data.gallery === null) return
  if (!isObject(data.gallery)) fail('gallery.gallery must be the gallery or null.')
  const { clean, rows } = data.gallery
  const isImage = (url: unknown): boolean =>
    typeof url === 'string' && url.startsWith('data:image/png;base64,')
  if (!isImage(clean)) fail('gallery.clean must be a PNG data: URL.')
  if (
    !Array.isArray(rows) ||
    rows.length === 0 ||
    !rows.every((row) => isObject(row) && Array.isArray(row.images) && row.images.every(isImage))
  )
    fail('gallery.rows must list corruptions, each with PNG data: URLs.')
}
