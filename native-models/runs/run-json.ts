import { RunFolderError } from './errors.ts'
import {
  FieldProblem,
  optional,
  readNonEmptyString,
  readString,
  readStringList,
} from './field-readers.ts'
import { isPlainObject, withoutByteOrderMark } from './messages.ts'
import { readPreprocessing } from './preprocessing.ts'
import type { RunJsonFields } from './types.ts'

/** What a run folder without run.json says about the run: nothing. */
export const NO_RUN_JSON: RunJsonFields = {
  name: null,
  tags: null,
  notes: null,
  classes: null,
  preprocessing: null,
  meta: null,
}

function malformed(file: string, problem: string, cause?: unknown): RunFolderError {
  return new RunFolderError(
    'RUN_JSON_MALFORMED',
    `'${file}' ${problem}: fix it (or delete run.json), then import again.`,
    { cause },
  )
}

function parseObject(text: string, file: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(withoutByteOrderMark(text))
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw malformed(file, `is not valid JSON (${reason})`, error)
  }
  if (!isPlainObject(value)) throw malformed(file, 'must hold one JSON object { ... }')
  return value
}

function readFields(value: Record<string, unknown>): RunJsonFields {
  const { name, tags, notes, classes, preprocessing, ...meta } = value
  return {
    name: optional('name', name, readNonEmptyString, null),
    tags: optional('tags', tags, readStringList, null),
    notes: optional('notes', notes, readString, null),
    classes: optional('classes', classes, readStringList, null),
    preprocessing: optional('preprocessing', preprocessing, readPreprocessing, null),
    meta,
  }
}

/**
 * Reads the text of a run.json file. A field holding the wrong type throws RUN_JSON_MALFORMED
 * naming `file` and the field; keys the app does not know are kept in `meta`.
 */
export function parseRunJson(text: string, file: string): RunJsonFields {
  const value = parseObject(text, file)
  try {
    return readFields(value)
  } catch (error) {
    if (error instanceof FieldProblem) throw malformed(file, error.message, error)
    throw error
  }
}
