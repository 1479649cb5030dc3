import type { JobKind } from '../contract/index.ts'
import { csvLine, parseCsv } from './csv.ts'
import { payloadFromTidy, tidyValues } from './tidy-rows.ts'
import type { TidyValue } from './tidy-rows.ts'

/** Which result a row belongs to, repeated on every row so each row stands alone. */
export interface ResultContext {
  resultId: number
  kind: JobKind
  /** The model file's name. */
  checkpoint: string
  run: string | null
  epoch: number | null
  dataset: string | null
}

export const TIDY_COLUMNS = [
  'result_id',
  'kind',
  'checkpoint',
  'run',
  'epoch',
  'dataset',
  'quantity',
  'tap',
  'class',
  'predicted_class',
  'bin',
  'channel',
  'dim',
  'value',
  'text',
] as const

export const TIDY_HEADER = csvLine([...TIDY_COLUMNS])

// Shortest text that parses back to the same double; -0 kept so a round trip is exact.
function numberText(value: number | null | undefined): string {
  if (value === null || value === undefined) return ''
  return Object.is(value, -0) ? '-0' : String(value)
}

/** The result's values as tidy CSV lines (no header) and how many there are. */
export function tidyCsvLines(
  context: ResultContext,
  payload: unknown,
): { text: string; rows: number } {
  const head = [
    String(context.resultId),
    context.kind,
    context.checkpoint,
    context.run ?? '',
    numberText(context.epoch),
    context.dataset ?? '',
  ]
  const values = tidyValues(context.kind, payload)
  const lines = values.map((v) =>
    csvLine([
      ...head,
      v.quantity,
      v.tap ?? '',
      v.class ?? '',
      v.predictedClass ?? '',
      numberText(v.bin),
      numberText(v.channel),
      numberText(v.dim),
      numberText(v.value),
      v.text ?? '',
    ]),
  )
  return { text: lines.join(''), rows: values.length }
}

const optionalNumber = (text: string): number | undefined =>
  text === '' ? undefined : Number(text)
const optionalText = (text: string): string | undefined => (text === '' ? undefined : text)

export interface ParsedResult {
  context: ResultContext
  payload: unknown
}

/** The results of a tidy CSV (one result or a bulk export), payloads rebuilt, in file order. */
export function parseTidyCsv(text: string): ParsedResult[] {
  const [header, ...rows] = parseCsv(text)
  if (header?.join(',') !== TIDY_COLUMNS.join(','))
    throw new RangeError(`Not a tidy result CSV: the header is '${header?.join(',') ?? ''}'.`)
  const grouped = new Map<string, { context: ResultContext; values: TidyValue[] }>()
  for (const row of rows) {
    const [
      id,
      kind,
      checkpoint,
      run,
      epoch,
      dataset,
      quantity,
      tap,
      cls,
      predicted,
      bin,
      channel,
      dim,
      value,
      words,
    ] = row as [string, ...string[]]
    let group = grouped.get(id)
    if (!group) {
      const context: ResultContext = {
        resultId: Number(id),
        kind: kind as JobKind,
        checkpoint: checkpoint,
        run: run || null,
        epoch: epoch ? Number(epoch) : null,
        dataset: dataset || null,
      }
      group = { context, values: [] }
      grouped.set(id, group)
    }
    group.values.push({
      quantity: quantity,
      tap: optionalText(tap),
      class: optionalText(cls),
      predictedClass: optionalText(predicted),
      bin: optionalNumber(bin),
      channel: optionalNumber(channel),
      dim: optionalNumber(dim),
      text: optionalText(words ?? ''),
      value: value === '' ? null : Number(value),
    })
  }
  return [...grouped.values()].map(({ context, values }) => ({
    context,
    payload: payloadFromTidy(context.kind, values),
  }))
}
