import type { T3aDomain, T3aFilter, T3aRequest } from '../../contract/index.ts'
import { checkNamedDataset } from '../../dataset-request.ts'
import { invalid, isWhole } from '../../request-fields.ts'
import { checkCheckpointJob } from '../checkpoint-job.ts'
import { checkCorruptionCell } from '../evaluate/corruption-cell.ts'

const MAX_DOMAINS = 200
const MAX_FILTER = 100_000
const MAX_STREAM_BATCH = 4096

function checkFilters(filters: unknown): T3aFilter[] {
  if (!Array.isArray(filters) || filters.length === 0)
    invalid(
      `filters must list at least one M (a positive whole number or 'all'), got ${JSON.stringify(filters)}.`,
    )
  for (const filter of filters)
    if (filter !== 'all' && !isWhole(filter, 1, MAX_FILTER))
      invalid(
        `Each filter M must be a whole number from 1 to ${MAX_FILTER} or 'all', got ${JSON.stringify(filter)}.`,
      )
  const numbers = [...new Set(filters.filter((f): f is number => f !== 'all'))].sort(
    (a, b) => a - b,
  )
  return filters.includes('all') ? [...numbers, 'all'] : numbers
}

function checkDomains(domains: unknown): T3aDomain[] | null {
  if (domains === null || domains === undefined) return null
  if (!Array.isArray(domains) || domains.length === 0 || domains.length > MAX_DOMAINS)
    invalid(`domains must be null or list 1 to ${MAX_DOMAINS} domains.`)
  const labels = new Set<string>()
  return domains.map((domain: Partial<T3aDomain>, i) => {
    if (typeof domain !== 'object' || domain === null) invalid(`Domain ${i + 1} is not an object.`)
    if (typeof domain.label !== 'string' || domain.label.trim() === '')
      invalid(`Domain ${i + 1} needs a label (the folder name, or the corruption cell).`)
    if (labels.has(domain.label))
      invalid(`Two domains are labelled '${domain.label}': labels must differ.`)
    labels.add(domain.label)
    return {
      label: domain.label,
      dataset: checkNamedDataset(domain.dataset, `Domain ${i + 1} ('${domain.label}') dataset`),
      corruption: checkCorruptionCell(domain.corruption),
    }
  })
}

function checkOrder(order: unknown): T3aRequest['order'] {
  const given = order as Partial<{ kind: string; seed: number }> | null
  if (given?.kind === 'dataset') return { kind: 'dataset' }
  if (given?.kind === 'shuffle' && isWhole(given.seed, 0, 2 ** 32 - 1))
    return { kind: 'shuffle', seed: given.seed }
  return invalid(
    `order must be { kind: 'shuffle', seed } (a whole seed below 2^32) or { kind: 'dataset' }, got ${JSON.stringify(order)}.`,
  )
}

/** Refuses a malformed T3A request; filters come back sorted, 'all' last. */
export function validateT3a(request: T3aRequest): T3aRequest {
  if (
    request.allBehaviour !== 'keep-every-support' &&
    request.allBehaviour !== 'reference-drops-highest-entropy'
  )
    invalid(
      `allBehaviour must be 'keep-every-support' or 'reference-drops-highest-entropy', got '${String(request.allBehaviour)}'.`,
    )
  if (!isWhole(request.streamBatch, 1, MAX_STREAM_BATCH))
    invalid(
      `streamBatch must be a whole number from 1 to ${MAX_STREAM_BATCH}, got ${String(request.streamBatch)}.`,
    )
  if (request.lastPartialBatch !== 'predict' && request.lastPartialBatch !== 'drop')
    invalid(
      `lastPartialBatch must be 'predict' or 'drop', got '${String(request.lastPartialBatch)}'.`,
    )
  return checkCheckpointJob({
    ...request,
    domains: checkDomains(request.domains),
    filters: checkFilters(request.filters),
    order: checkOrder(request.order),
  })
}
