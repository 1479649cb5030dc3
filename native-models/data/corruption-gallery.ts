import { CORRUPTION_NAMES, corruptionNamed } from '../analysis/robustness/corruptions/index.ts'
import type {
  CorruptionGallery,
  CorruptionName,
  Preprocessing,
} from '../../electron/api/contract/index.ts'
import { corruptedPreview, rawImageOf } from './preview.ts'
import type { Dataset } from './types.ts'

const SEVERITIES = [1, 2, 3, 4, 5] as const

/**
 * One image of a dataset as the model sees it, clean and under every chosen corruption at every
 * severity (the draws seeded as a sweep's cell seeds them for this image).
 */
export async function corruptionGallery(
  dataset: Dataset,
  position: number,
  preprocessing: Preprocessing,
  options: { corruptions: readonly CorruptionName[]; seed: number; padding: 'before' | 'after' },
  maxSide = 96,
): Promise<CorruptionGallery> {
  const raw = await rawImageOf(dataset, position)
  const item = { name: dataset.describe(position), position }
  const clean = await corruptedPreview(raw, preprocessing, item, null, maxSide)
  const chosen = CORRUPTION_NAMES.filter((name) => options.corruptions.includes(name))
  const rows = []
  for (const name of chosen) {
    const images = []
    for (const severity of SEVERITIES) {
      const cell = {
        name,
        severity,
        seed: options.seed,
        jpegQuality: null,
        padding: options.padding,
      }
      images.push((await corruptedPreview(raw, preprocessing, item, cell, maxSide)).url)
    }
    rows.push({ corruption: name, deviation: corruptionNamed(name).deviation, images })
  }
  return { source: item.name, label: dataset.labels[position], clean: clean.url, rows }
}
