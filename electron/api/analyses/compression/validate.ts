import type { AcgcSettings, CompressionRequest } from '../../contract/index.ts'
import { invalid, isWhole } from '../../request-fields.ts'
import { checkCheckpointJob } from '../checkpoint-job.ts'

const MIN_BITS = 1
const MAX_BITS = 16
const MAX_GRADIENT_BATCHES = 64
// The backward pass of AC-GC's statistics keeps every activation of a batch alive.
const MAX_COMPRESSION_BATCH = 4096

/** The widths sorted ascending, each once. */
function checkBits(bits: unknown): number[] {
  if (!Array.isArray(bits) || bits.length === 0)
    invalid(
      `bits must list at least one width from ${MIN_BITS} to ${MAX_BITS}, got ${JSON.stringify(bits)}.`,
    )
  for (const b of bits as unknown[])
    if (!isWhole(b, MIN_BITS, MAX_BITS))
      invalid(
        `Each of bits must be a whole number from ${MIN_BITS} to ${MAX_BITS}, got ${JSON.stringify(b)}.`,
      )
  return [...new Set(bits as number[])].sort((a, b) => a - b)
}

function checkAcgc(acgc: unknown): AcgcSettings | null {
  if (acgc === null) return null
  if (typeof acgc !== 'object' || Array.isArray(acgc))
    invalid('acgc must be null (no bit choice) or { tolerance, gradientBatches }.')
  const { tolerance, gradientBatches } = acgc as AcgcSettings
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance <= 0)
    invalid(
      `acgc.tolerance must be a finite number > 0 (the paper's e, default 1), got ${String(tolerance)}.`,
    )
  if (!isWhole(gradientBatches, 1, MAX_GRADIENT_BATCHES))
    invalid(
      `acgc.gradientBatches must be a whole number from 1 to ${MAX_GRADIENT_BATCHES}, got ${String(gradientBatches)}.`,
    )
  return { tolerance, gradientBatches }
}

/** Refuses a malformed compression request; its widths come back sorted, each once. */
export function validateCompression(request: CompressionRequest): CompressionRequest {
  const bits = checkBits(request.bits)
  for (const field of ['together', 'eachAlone'] as const)
    if (typeof request[field] !== 'boolean')
      invalid(`${field} must be true or false, got ${String(request[field])}.`)
  const acgc = checkAcgc(request.acgc)
  if (!request.together && !request.eachAlone && acgc === null)
    invalid(
      'The request measures nothing: together and eachAlone are false and acgc is null; set together or eachAlone to true, or give acgc settings.',
    )
  if (!isWhole(request.compressionBatch, 1, MAX_COMPRESSION_BATCH))
    invalid(
      `compressionBatch must be a whole number from 1 to ${MAX_COMPRESSION_BATCH}, got ${String(request.compressionBatch)}.`,
    )
  const checked = checkCheckpointJob({ ...request, bits, acgc })
  if (checked.batchSize !== null && checked.batchSize !== checked.compressionBatch)
    invalid(
      `batchSize is not used by compression: each batch's max |x| sets the scale over compressionBatch images (${String(checked.compressionBatch)}); leave batchSize out or set compressionBatch instead.`,
    )
  return checked
}
