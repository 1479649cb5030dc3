// The tensors the evaluation job cached, read back for the runtime-only and PyTorch variants.
import { join } from 'node:path'
import { openDataset, planPreprocessing } from '../../native-models/data/index.ts'
import type { PreprocessedTensors } from '../../native-models/data/index.ts'
import { tensorCacheKey } from '../../native-models/data/tensor-cache-batches.ts'
import {
  readTensorCacheFile,
  tensorCacheDataOffset,
} from '../../native-models/data/tensor-cache-file.ts'
import type { TensorCacheHeader } from '../../native-models/data/tensor-cache-file.ts'
import { datasetOf } from './fixtures.ts'
import type { Fixture } from './fixtures.ts'

export interface CachedTensors {
  tensors: PreprocessedTensors
  file: string
  dataOffset: number
}

export async function readCachedTensors(
  cacheFolder: string,
  fixture: Fixture,
): Promise<CachedTensors> {
  const dataset = await openDataset(datasetOf(fixture))
  const preprocessing = fixture.resolution.preprocessing
  const plan = planPreprocessing(preprocessing, dataset.channels)
  const header: TensorCacheHeader = {
    key: tensorCacheKey(dataset, preprocessing),
    size: dataset.size,
    itemDims: [plan.channels, plan.height, plan.width],
  }
  const file = join(cacheFolder, `${header.key}.tensors`)
  const tensors = await readTensorCacheFile(file, header)
  if (tensors === null)
    throw new Error(`The evaluation job left no tensor cache at '${file}'; the bench needs it.`)
  return { tensors, file, dataOffset: tensorCacheDataOffset(header) }
}
