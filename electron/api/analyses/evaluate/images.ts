import { selectImages } from '../../../../native-models/analysis/evaluate/image-selection.ts'
import { openDataset, previewImage } from '../../../../native-models/data/index.ts'
import type {
  EvaluationImageFilter,
  EvaluationImages,
  EvaluationImagesRequest,
  EvaluationResult,
} from '../../contract/index.ts'
import { RequestError } from '../../errors.ts'
import { invalid, isId, isWhole } from '../../request-fields.ts'
import { derivedModule } from '../analysis-module.ts'
import { perImageOf } from './paired.ts'

const DEFAULT_LIMIT = 48
const MAX_LIMIT = 1000
const KINDS = [
  'confusion',
  'misclassified',
  'least-confident',
  'highest-loss',
  'only-right',
  'only-wrong',
]

function checkRequest(request: EvaluationImagesRequest): void {
  if (!isId(request.resultId)) invalid('resultId must be a result id.')
  const filter = request.filter as EvaluationImageFilter | null
  if (!filter || !KINDS.includes(filter.kind))
    invalid(`filter.kind must be one of ${KINDS.join(', ')}.`)
  if (filter.kind === 'confusion' && !(isWhole(filter.trueClass) && isWhole(filter.predictedClass)))
    invalid('A confusion filter needs trueClass and predictedClass (class indices).')
  if ((filter.kind === 'only-right' || filter.kind === 'only-wrong') && !isId(filter.otherResultId))
    invalid(`An '${filter.kind}' filter needs otherResultId, the result to compare with.`)
  const { limit } = request
  if (limit !== null && limit !== undefined && !isWhole(limit, 1, MAX_LIMIT))
    invalid(`limit must be a whole number from 1 to ${MAX_LIMIT}, or null.`)
}

/** The images behind a confusion cell, the misclassified, least confident, highest-loss ones. */
export const evaluationImages = derivedModule({
  channel: 'evaluate:images',
  jobsFor: (request) => {
    checkRequest(request)
    return Promise.resolve([])
  },
  compute: async (request, _stored, context): Promise<EvaluationImages> => {
    const result = context.result(request.resultId)
    if (result.kind !== 'evaluate') invalid(`Result ${request.resultId} is not an evaluation.`)
    const records = await perImageOf(request.resultId, context)
    const { filter } = request
    const other =
      filter.kind === 'only-right' || filter.kind === 'only-wrong'
        ? await perImageOf(filter.otherResultId, context)
        : null
    if (other && other.labels.length !== records.labels.length)
      invalid(
        `Results ${request.resultId} and ${filter.kind === 'confusion' ? '' : String((filter as { otherResultId: number }).otherResultId)} are not of the same images.`,
      )
    const positions = selectImages(records, filter, other)
    const shown = positions.slice(0, request.limit ?? DEFAULT_LIMIT)
    const selection = result.provenance.dataset
    if (selection === null) invalid(`Result ${result.id} was computed without images.`)
    const dataset = await openDataset(selection)
    if (dataset.info.fingerprint !== result.provenance.datasetFingerprint)
      throw new RequestError(
        'DATASET_MALFORMED',
        `The images of '${selection.path}' changed since result ${result.id} was computed: evaluate again to see them.`,
      )
    const images = await Promise.all(
      shown.map(async (position) => ({
        position,
        source: dataset.describe(position),
        label: records.labels[position],
        predicted: records.predicted[position],
        confidence: records.confidence[position],
        nll: records.nll[position],
        thumbnail: request.thumbnails
          ? (await previewImage(dataset, position, null)).stored.url
          : null,
      })),
    )
    const { classes } = result.payload as EvaluationResult
    return { resultId: result.id, classes, total: positions.length, images }
  },
})
