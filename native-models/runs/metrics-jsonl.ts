import type { RunFolderError } from './errors.ts'
import { listForMessage, withoutByteOrderMark } from './messages.ts'
import { malformedLine, metricRowsOfLine } from './metric-line.ts'
import type { LineContext } from './metric-line.ts'
import type { MetricRow, RunFolderWarning } from './types.ts'

export interface ParsedMetrics {
  rows: MetricRow[]
  /** Lines read (blank lines and an unfinished last line are not counted). */
  lines: number
  warnings: RunFolderWarning[]
}

type JsonParse = { ok: true; value: unknown } | { ok: false; reason: string }

function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) }
  }
}

// Python's json.dumps writes NaN and Infinity, which JSON (and JSON.parse) does not allow.
function invalidJsonError(text: string, reason: string, context: LineContext): RunFolderError {
  if (/\b(NaN|Infinity)\b/.test(text)) {
    return malformedLine(context, 'holds NaN or Infinity, which JSON cannot represent')
  }
  return malformedLine(context, `is not valid JSON (${reason})`)
}

function partialLineWarning(file: string, line: number): RunFolderWarning {
  return {
    code: 'METRICS_PARTIAL_LINE',
    message: `'${file}' ends with an unfinished line ${line}, probably still being written by training: it was skipped; import again later to include it.`,
  }
}

function ignoredFieldsWarning(file: string, names: Set<string>): RunFolderWarning {
  return {
    code: 'METRICS_IGNORED_FIELDS',
    message: `'${file}' has non-numeric fields that were ignored (${listForMessage([...names])}): only numbers become metric series.`,
  }
}

/**
 * Reads the text of a metrics.jsonl file (one JSON object per line). A last line without a
 * newline that is not valid JSON is the line training is still writing: it is skipped with a
 * warning. Any other bad line throws METRICS_MALFORMED naming `file` and the line number.
 */
export function parseMetricsJsonl(text: string, file: string): ParsedMetrics {
  const lines = withoutByteOrderMark(text).split('\n')
  const ignoredFields = new Set<string>()
  const parsed: ParsedMetrics = { rows: [], lines: 0, warnings: [] }
  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine
    if (line.trim() === '') return
    const context: LineContext = { file, line: index + 1, ignoredFields }
    const json = parseJson(line)
    if (!json.ok) {
      const isUnfinished = index === lines.length - 1
      if (!isUnfinished) throw invalidJsonError(line, json.reason, context)
      parsed.warnings.push(partialLineWarning(file, index + 1))
      return
    }
    parsed.rows.push(...metricRowsOfLine(json.value, context))
    parsed.lines++
  })
  if (ignoredFields.size > 0) parsed.warnings.push(ignoredFieldsWarning(file, ignoredFields))
  return parsed
}
