import { CORRUPTION_NAMES } from './contract/index.ts'
import type { CorruptedSlice, DatasetRequest } from './contract/index.ts'
import { RequestError } from './errors.ts'
import { invalid as refuse, isWhole } from './request-fields.ts'

const FORMATS = ['auto', 'imagefolder', 'idx', 'npy'] as const

const REFUSAL = 'The dataset request is not usable: '

function invalid(message: string): never {
  return refuse(`${REFUSAL}${message}.`)
}

const isSeed = (v: unknown): v is number => Number.isSafeInteger(v)
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function holdoutOf(value: unknown): DatasetRequest['holdout'] {
  if (value === null || value === undefined) return null
  if (!isRecord(value)) invalid('holdout must be null or { fraction, seed, part }')
  const { fraction, seed, part } = value
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1))
    invalid(`holdout.fraction must be between 0 and 1 (exclusive), not ${String(fraction)}`)
  if (!isSeed(seed)) invalid(`holdout.seed must be a whole number, not ${String(seed)}`)
  if (part !== 'holdout' && part !== 'rest')
    invalid(`holdout.part must be 'holdout' or 'rest', not ${String(part)}`)
  return { fraction, seed, part }
}

function sampleOf(value: unknown): DatasetRequest['sample'] {
  if (value === null || value === undefined) return null
  if (!isRecord(value)) invalid('sample must be null or { count, seed }')
  const { count, seed } = value
  if (!isWhole(count, 1))
    invalid(`sample.count must be a positive whole number, not ${String(count)}`)
  if (!isSeed(seed)) invalid(`sample.seed must be a whole number, not ${String(seed)}`)
  return { count, seed }
}

function classesOf(value: unknown): string[] | null {
  if (value === null || value === undefined) return null
  if (!Array.isArray(value) || value.length === 0 || !value.every((c) => typeof c === 'string'))
    invalid('classes must be null or a non-empty list of class names')
  return value
}

const LAYOUTS = ['imagenet-c', 'cifar-10-c']

function corruptedOf(value: unknown, format: unknown, split: unknown): CorruptedSlice | null {
  if (value === null || value === undefined) return null
  if (!isRecord(value)) invalid('corrupted must be null or { layout, corruption, severity }')
  const { layout, corruption, severity } = value
  if (!LAYOUTS.includes(layout as string))
    invalid(`corrupted.layout must be ${LAYOUTS.join(' or ')}, not ${String(layout)}`)
  if (!CORRUPTION_NAMES.includes(corruption as CorruptedSlice['corruption']))
    invalid(`unknown corruption '${String(corruption)}': use ${CORRUPTION_NAMES.join(', ')}`)
  if (!isWhole(severity, 1, 5))
    invalid(`corrupted.severity must be 1 to 5, not ${String(severity)}`)
  if (format !== 'auto' || split !== null)
    invalid(
      'a corrupted slice is chosen by its corruption and severity: use format auto, split null',
    )
  return { layout, corruption, severity } as CorruptedSlice
}

/**
 * A dataset request checked field by field (what the UI, the CLI and a job send alike); absent
 * optional fields become null.
 */
export function checkDatasetRequest(value: unknown): DatasetRequest {
  if (!isRecord(value)) invalid('it must be an object with a path')
  const { path, format = 'auto', split = null, limit = null } = value
  if (typeof path !== 'string' || path === '') invalid('path must name a dataset folder')
  if (!FORMATS.includes(format as (typeof FORMATS)[number]))
    invalid(`unknown format '${String(format)}': use ${FORMATS.join(', ')}`)
  if (split !== null && typeof split !== 'string') invalid('split must be null or a split name')
  if (limit !== null && !isWhole(limit, 1))
    invalid(`limit must be a positive whole number or null, not ${JSON.stringify(limit)}`)
  const corrupted = corruptedOf(value.corrupted, format, split)
  return {
    path,
    format: format as DatasetRequest['format'],
    split,
    holdout: holdoutOf(value.holdout),
    classes: classesOf(value.classes),
    sample: sampleOf(value.sample),
    limit,
    // Absent unless set, so a clean request keeps the identity (hash) it always had.
    ...(corrupted === null ? {} : { corrupted }),
  }
}

/** checkDatasetRequest for a dataset besides the job's own, its refusal naming `field`. */
export function checkNamedDataset(value: unknown, field: string): DatasetRequest {
  try {
    return checkDatasetRequest(value)
  } catch (error) {
    if (!(error instanceof RequestError)) throw error
    return refuse(error.message.replace(REFUSAL, `${field} is not usable: `))
  }
}
