import type { Preprocessing } from '../../electron/api/contract/index.ts'
import {
  FieldProblem,
  optional,
  readBoolean,
  readNonNegativeInteger,
  readNumberList,
  readPositiveInteger,
  wrongValue,
} from './field-readers.ts'
import { isPlainObject } from './messages.ts'

const FIELD = 'preprocessing'
const KNOWN_KEYS = ['resize', 'centerCrop', 'pad', 'grayToRgb', 'mean', 'std', 'inputSize']

function rejectUnknownKeys(value: Record<string, unknown>): void {
  const unknown = Object.keys(value).find((key) => !KNOWN_KEYS.includes(key))
  if (unknown === undefined) return
  const message = `field '${FIELD}.${unknown}' is not a preprocessing setting (they are ${KNOWN_KEYS.join(', ')})`
  throw new FieldProblem(`${FIELD}.${unknown}`, message)
}

function readMeanAndStd(value: Record<string, unknown>): Pick<Preprocessing, 'mean' | 'std'> {
  const mean = readNumberList(`${FIELD}.mean`, value.mean, 'a list of 1 or 3 numbers')
  if (mean.length !== 1 && mean.length !== 3) {
    throw wrongValue(`${FIELD}.mean`, 'a list of 1 or 3 numbers', value.mean)
  }
  const std = readNumberList(`${FIELD}.std`, value.std, 'a list of positive numbers')
  if (std.length !== mean.length || std.some((s) => s <= 0)) {
    const expected = `a list of positive numbers as long as 'mean' (${mean.length})`
    throw wrongValue(`${FIELD}.std`, expected, value.std)
  }
  return { mean, std }
}

function readInputSize(value: unknown): [number, number] {
  const field = `${FIELD}.inputSize`
  if (!Array.isArray(value) || value.length !== 2) {
    throw wrongValue(field, '[height, width]', value)
  }
  return [readPositiveInteger(field, value[0]), readPositiveInteger(field, value[1])]
}

/**
 * Reads run.json's `preprocessing`: mean, std and inputSize are required; resize and centerCrop
 * default to null (not done), pad to 0, grayToRgb to false. An unknown key is refused, so a typo
 * never silently changes what the model sees.
 */
export function readPreprocessing(field: string, value: unknown): Preprocessing {
  if (!isPlainObject(value)) throw wrongValue(field, 'an object', value)
  rejectUnknownKeys(value)
  return {
    resize: optional(`${FIELD}.resize`, value.resize, readPositiveInteger, null),
    centerCrop: optional(`${FIELD}.centerCrop`, value.centerCrop, readPositiveInteger, null),
    pad: optional(`${FIELD}.pad`, value.pad, readNonNegativeInteger, 0),
    grayToRgb: optional(`${FIELD}.grayToRgb`, value.grayToRgb, readBoolean, false),
    ...readMeanAndStd(value),
    inputSize: readInputSize(value.inputSize),
  }
}
