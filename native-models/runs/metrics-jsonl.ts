import { StringDecoder } from 'node:string_decoder'
import { openRegularFile } from '../files/regular-file.ts'
import type { RunFolderError } from './errors.ts'
import { listForMessage, withoutByteOrderMark } from './messages.ts'
import { malformedLine, metricRowsOfLine } from './metric-line.ts'
import type { LineContext } from './metric-line.ts'
import type { MetricRow, RunFolderWarning } from './types.ts'

export interface MetricsReadSummary {
  /** Lines read (blank lines and an unfinished last line are not counted). */
  lines: number
  /** Rows produced: one per numeric field. */
  rows: number
  warnings: RunFolderWarning[]
}

export interface ParsedMetrics extends Omit<MetricsReadSummary, 'rows'> {
  rows: MetricRow[]
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

/** Turns the lines of one metrics.jsonl, in order, into rows; remembers what to warn about. */
class MetricLineReader {
  readonly #file: string
  readonly #ignoredFields = new Set<string>()
  readonly #warnings: RunFolderWarning[] = []
  #lineNumber = 0
  #lines = 0
  #rows = 0

  constructor(file: string) {
    this.#file = file
  }

  /** `unterminated`: the file's last line, with no newline after it. */
  read(rawLine: string, unterminated: boolean): MetricRow[] {
    this.#lineNumber++
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine
    if (line.trim() === '') return []
    const context: LineContext = {
      file: this.#file,
      line: this.#lineNumber,
      ignoredFields: this.#ignoredFields,
    }
    const json = parseJson(line)
    if (!json.ok) {
      if (!unterminated) throw invalidJsonError(line, json.reason, context)
      this.#warnings.push(partialLineWarning(this.#file, this.#lineNumber))
      return []
    }
    const rows = metricRowsOfLine(json.value, context)
    this.#lines++
    this.#rows += rows.length
    return rows
  }

  summary(): MetricsReadSummary {
    const warnings = [...this.#warnings]
    if (this.#ignoredFields.size > 0) {
      warnings.push(ignoredFieldsWarning(this.#file, this.#ignoredFields))
    }
    return { lines: this.#lines, rows: this.#rows, warnings }
  }
}

/**
 * Reads the text of a metrics.jsonl file (one JSON object per line). A last line without a
 * newline that is not valid JSON is the line training is still writing: it is skipped with a
 * warning. Any other bad line throws METRICS_MALFORMED naming `file` and the line number.
 */
export function parseMetricsJsonl(text: string, file: string): ParsedMetrics {
  const lines = withoutByteOrderMark(text).split('\n')
  const reader = new MetricLineReader(file)
  const rows: MetricRow[] = []
  lines.forEach((line, index) => rows.push(...reader.read(line, index === lines.length - 1)))
  const { lines: lineCount, warnings } = reader.summary()
  return { rows, lines: lineCount, warnings }
}

export const METRIC_BATCH_ROWS = 5_000

/**
 * Streams a metrics.jsonl file (same rules as parseMetricsJsonl) and hands its rows to `onBatch`
 * about `batchRows` at a time, so a log of millions of values never sits in memory at once and
 * each batch can be written in its own short transaction.
 */
export async function readMetricsJsonl(
  file: string,
  onBatch: (rows: MetricRow[], fractionRead: number) => void | Promise<void>,
  batchRows = METRIC_BATCH_ROWS,
): Promise<MetricsReadSummary> {
  const handle = await openRegularFile(file)
  const { size } = await handle.stat()
  let bytesRead = 0
  const reader = new MetricLineReader(file)
  const decoder = new StringDecoder('utf8')
  let pending = ''
  let batch: MetricRow[] = []
  let isFirstChunk = true
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) {
      bytesRead += (chunk as Buffer).length
      const text = decoder.write(chunk as Buffer)
      const lines = (pending + (isFirstChunk ? withoutByteOrderMark(text) : text)).split('\n')
      isFirstChunk = false
      pending = lines.pop()!
      for (const line of lines) {
        for (const row of reader.read(line, false)) batch.push(row)
        if (batch.length >= batchRows) {
          await onBatch(batch, bytesRead / Math.max(size, 1))
          batch = []
        }
      }
    }
    for (const row of reader.read(pending + decoder.end(), true)) batch.push(row)
    if (batch.length > 0) await onBatch(batch, 1)
  } finally {
    await handle.close()
  }
  return reader.summary()
}
