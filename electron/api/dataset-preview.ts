import { openDataset, previewImage } from '../../native-models/data/index.ts'
import type { DatasetRequest, PreviewImage, Preprocessing } from './contract/index.ts'

/**
 * The first `count` selected images as stored and, with a preprocessing, as the model sees them
 * (de-normalised): a wrong size, crop or channel count is refused with the field to fix.
 */
export async function previewDataset(request: {
  dataset: DatasetRequest
  preprocessing: Preprocessing | null
  count: number
}): Promise<PreviewImage[]> {
  const dataset = await openDataset({ ...request.dataset, sample: null, limit: null })
  const shown = Math.min(request.count, dataset.size)
  const { classes } = dataset.info
  const images: PreviewImage[] = []
  for (let position = 0; position < shown; position++) {
    const { stored, modelInput: model } = await previewImage(
      dataset,
      position,
      request.preprocessing,
    )
    images.push({
      position,
      source: dataset.describe(position),
      className: classes[dataset.labels[position]] ?? String(dataset.labels[position]),
      stored: stored.url,
      modelInput: model?.url ?? null,
      inputSize: model ? [model.height, model.width] : null,
    })
  }
  return images
}
