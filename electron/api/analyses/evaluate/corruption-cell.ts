import { CORRUPTION_NAMES } from '../../contract/index.ts'
import type { CorruptionCell } from '../../contract/index.ts'
import { invalid, isWhole } from '../../request-fields.ts'

const MAX_SEED = 1_000_000

/** A corruption cell of an evaluation request, checked field by field; null when there is none. */
export function checkCorruptionCell(cell: unknown): CorruptionCell | null {
  if (cell === undefined || cell === null) return null
  if (typeof cell !== 'object' || Array.isArray(cell))
    invalid(`corruption must be an object or null, got ${JSON.stringify(cell)}.`)
  const { name, severity, seed, jpegQuality, padding } = cell as Partial<CorruptionCell>
  if (!CORRUPTION_NAMES.includes(name as CorruptionCell['name']))
    invalid(`Unknown corruption '${String(name)}': use ${CORRUPTION_NAMES.join(', ')}.`)
  if (!isWhole(severity, 1, 5)) invalid(`severity must be 1 to 5, got ${String(severity)}.`)
  if (!isWhole(seed, 0, MAX_SEED))
    invalid(
      `The corruption seed must be a whole number from 0 to ${MAX_SEED}, got ${String(seed)}.`,
    )
  if (jpegQuality !== null && !isWhole(jpegQuality, 1, 100))
    invalid(`jpegQuality must be 1 to 100 or null, got ${String(jpegQuality)}.`)
  if (padding !== 'before' && padding !== 'after')
    invalid(`padding must be 'before' or 'after', got ${String(padding)}.`)
  return { name, severity, seed, jpegQuality, padding } as CorruptionCell
}
