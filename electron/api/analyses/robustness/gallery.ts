import { corruptionGallery } from '../../../../native-models/data/corruption-gallery.ts'
import { openDataset } from '../../../../native-models/data/index.ts'
import { CORRUPTION_NAMES } from '../../contract/index.ts'
import type { CorruptionGalleryRequest } from '../../contract/index.ts'
import { checkDatasetRequest } from '../../dataset-request.ts'
import { invalid, isWhole } from '../../request-fields.ts'
import { checkedPreprocessing } from '../checkpoint-job.ts'
import { derivedModule } from '../analysis-module.ts'

async function compute(request: CorruptionGalleryRequest) {
  const { corruptions, seed, padding, position } = request
  if (!Array.isArray(corruptions) || !corruptions.every((c) => CORRUPTION_NAMES.includes(c)))
    invalid(`corruptions must list names of ${CORRUPTION_NAMES.join(', ')}.`)
  if (!isWhole(seed, 0, 1_000_000)) invalid(`seed must be 0 to 1000000, got ${String(seed)}.`)
  if (padding !== 'before' && padding !== 'after')
    invalid(`padding must be 'before' or 'after', got ${String(padding)}.`)
  const preprocessing = checkedPreprocessing(request.preprocessing)
  if (preprocessing === null) invalid('A gallery needs the preprocessing the model uses.')
  const dataset = await openDataset(checkDatasetRequest(request.dataset))
  if (!isWhole(position, 0, dataset.size - 1))
    invalid(`position must be 0 to ${dataset.size - 1}, got ${String(position)}.`)
  return corruptionGallery(dataset, position, preprocessing, { corruptions, seed, padding })
}

/** One image under every corruption and severity: what each cell of a sweep shows the model. */
export const corruptionGalleryModule = derivedModule({
  channel: 'robustness:gallery',
  jobsFor: () => Promise.resolve([]),
  compute,
})
