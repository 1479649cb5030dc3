import type { CkaGramsResult, SpatialPooling } from '../../contract/index.ts'
import { tidyLookup } from '../tidy.ts'
import type { TidyValue } from '../tidy.ts'

const COUNTS = [
  ['num_images', 'numImages'],
  ['dropped_images', 'droppedImages'],
  ['n', 'n'],
  ['batches', 'batches'],
] as const

/** What a Gram result stores besides its blobs (the Grams and the batch order are caches). */
export function gramValues(r: CkaGramsResult): TidyValue[] {
  const rows: TidyValue[] = COUNTS.map(([quantity, field]) => ({ quantity, value: r[field] }))
  rows.push({ quantity: 'spatial_pooling', text: r.spatialPooling, value: null })
  rows.push({ quantity: 'order_sha256', text: r.orderSha256, value: null })
  for (const [index, t] of r.taps.entries()) {
    rows.push({ quantity: 'tap_index', tap: t.key, value: index })
    rows.push({ quantity: 'tap_features', tap: t.key, value: t.features })
    t.shape.forEach((value, dim) => rows.push({ quantity: 'tap_shape', tap: t.key, dim, value }))
  }
  return rows
}

export function gramsFromTidy(rows: TidyValue[]): CkaGramsResult {
  const { all, one, text } = tidyLookup(rows)
  const taps = all('tap_index')
    .sort((a, b) => a.value! - b.value!)
    .map((r) => {
      const own = tidyLookup(rows.filter((row) => row.tap === r.tap))
      return {
        key: r.tap!,
        shape: own.ordered('tap_shape', 'dim'),
        features: own.one('tap_features'),
      }
    })
  return {
    numImages: one('num_images'),
    droppedImages: one('dropped_images'),
    n: one('n'),
    batches: one('batches'),
    spatialPooling: text('spatial_pooling') as SpatialPooling,
    taps,
    orderSha256: text('order_sha256'),
  }
}
