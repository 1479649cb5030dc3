import { isJobKind } from './analyses/index.ts'
import type { ResultFilter, RunPatch } from './contract/index.ts'
import { RequestError } from './errors.ts'

function invalid(message: string): never {
  throw new RequestError('INVALID_ARGUMENT', message)
}

const isId = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) > 0

/** A run patch's fields, each absent or of its type; names and tags trimmed. */
export function checkRunPatch(patch: RunPatch): RunPatch {
  const { name, tags, notes } = patch as Record<string, unknown>
  if (name !== undefined && (typeof name !== 'string' || name.trim() === ''))
    invalid('A run name must be a non-empty string.')
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string')))
    invalid('Run tags must be a list of strings.')
  if (notes !== undefined && typeof notes !== 'string') invalid('Run notes must be a string.')
  return {
    ...(name === undefined ? {} : { name: name.trim() }),
    ...(tags === undefined ? {} : { tags: tags.map((t) => t.trim()).filter((t) => t !== '') }),
    ...(notes === undefined ? {} : { notes }),
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
