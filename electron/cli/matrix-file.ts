import { readFileSync } from 'node:fs'
import type { ChartMatrix } from '../api/contract/index.ts'
import { RequestError } from '../api/errors.ts'

interface CkaJson {
  matrices: { rowKeys: string[]; columnKeys: string[]; values: (number | null)[][] }[]
}

const isCkaJson = (value: unknown): value is CkaJson =>
  typeof value === 'object' && value !== null && Array.isArray((value as CkaJson).matrices)

/**
 * The matrix of a 'matrix' chart from a JSON file: the output of `cka --json` (its first matrix,
 * drawn on the CKA 0–1 scale as the app does) or a ChartMatrix object.
 */
export function readMatrixFile(path: string): ChartMatrix {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (cause) {
    throw new RequestError(
      'INVALID_ARGUMENT',
      `'${path}' is not a readable JSON file (${cause instanceof Error ? cause.message : String(cause)}); write one with 'cka --json > file.json'.`,
    )
  }
  if (!isCkaJson(parsed)) return parsed as ChartMatrix
  const first = parsed.matrices[0]
  if (!first) throw new RequestError('INVALID_ARGUMENT', `'${path}' holds no CKA matrix.`)
  return {
    rowKeys: first.rowKeys,
    columnKeys: first.columnKeys,
    values: first.values,
    valueName: 'CKA',
    min: 0,
    max: 1,
    mode: 'absolute',
  }
}
