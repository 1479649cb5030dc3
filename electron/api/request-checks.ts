import { checkedPreprocessing } from './analyses/checkpoint-job.ts'
import { isJobKind } from './analyses/index.ts'
import type {
  CheckpointPatch,
  DatasetRequest,
  Preprocessing,
  PreviewRequest,
  ResultFilter,
  RunPatch,
} from './contract/index.ts'
import { checkDatasetRequest } from './dataset-request.ts'
import { invalid, isId, isWhole } from './request-fields.ts'

const ROLE_KEY = /^(loss|accuracy)(\/(train|val|test))?$|^lr$/

/** Role keys ('accuracy/test', 'lr') mapped to series names. */
function checkedRoles(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    invalid('metricRoles must be an object of role → series name.')
  for (const [key, name] of Object.entries(value)) {
    if (!ROLE_KEY.test(key))
      invalid(
        `'${key}' is not a metric role: use loss, accuracy (with /train, /val or /test) or lr.`,
      )
    if (typeof name !== 'string' || name === '')
      invalid(`metricRoles['${key}'] must name a logged series.`)
  }
  return value as Record<string, string>
}

function requiredPreprocessing(value: unknown): Preprocessing {
  return checkedPreprocessing(value) ?? invalid('A run patch sets a preprocessing, not null.')
}

/** A run patch's fields, each absent or of its type; names and tags trimmed. */
export function checkRunPatch(patch: RunPatch): RunPatch {
  const { name, tags, notes, preprocessing, metricRoles } = patch as Record<string, unknown>
  if (name !== undefined && (typeof name !== 'string' || name.trim() === ''))
    invalid('A run name must be a non-empty string.')
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string')))
    invalid('Run tags must be a list of strings.')
  if (notes !== undefined && typeof notes !== 'string') invalid('Run notes must be a string.')
  return {
    ...(name === undefined ? {} : { name: name.trim() }),
    ...(tags === undefined ? {} : { tags: tags.map((t) => t.trim()).filter((t) => t !== '') }),
    ...(notes === undefined ? {} : { notes }),
    ...(preprocessing === undefined ? {} : { preprocessing: requiredPreprocessing(preprocessing) }),
    ...(metricRoles === undefined ? {} : { metricRoles: checkedRoles(metricRoles) }),
  }
}

/** A result filter whose fields are absent, ids, or a known job kind. */
export function checkResultFilter(filter: ResultFilter): ResultFilter {
  const { runId, checkpointId, kind } = filter as Record<string, unknown>
  if (runId !== undefined && !isId(runId)) invalid('filter.runId must be a run id.')
  if (checkpointId !== undefined && !isId(checkpointId))
    invalid('filter.checkpointId must be a checkpoint id.')
  if (kind !== undefined && !isJobKind(kind)) invalid(`Unknown job kind ${JSON.stringify(kind)}.`)
  return filter
}

/** A checkpoint patch: its preprocessing checked as run.json's (null clears it). */
export function checkCheckpointPatch(patch: CheckpointPatch): CheckpointPatch {
  if (!('preprocessing' in patch)) invalid('A checkpoint patch sets preprocessing (or null).')
  return { preprocessing: checkedPreprocessing(patch.preprocessing) }
}

const MAX_PREVIEW = 32

/** A preview request: a dataset, a preprocessing (or null) and 1–32 images. */
export function checkPreviewRequest(request: PreviewRequest): PreviewRequest & {
  dataset: DatasetRequest
} {
  const { count } = request
  if (!isWhole(count, 1, MAX_PREVIEW))
    invalid(`count must be a whole number from 1 to ${MAX_PREVIEW}.`)
  return {
    dataset: checkDatasetRequest(request.dataset),
    preprocessing: checkedPreprocessing(request.preprocessing),
    count,
  }
}
