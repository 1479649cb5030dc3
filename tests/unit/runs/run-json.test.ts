import { describe, expect, it } from 'vitest'
import { parseRunJson } from '../../../native-models/runs/run-json.ts'
import { expectError, thrownBy } from '../db/error-assertions.ts'

const FILE = '/runs/a/run.json'
const PREPROCESSING = { mean: [0.5], std: [0.25], inputSize: [28, 28] }

describe('parseRunJson', () => {
  it('reads name, tags, notes, classes and preprocessing, and keeps other keys as meta', () => {
    const text = JSON.stringify({
      name: 'baseline',
      tags: ['sgd'],
      notes: 'first try',
      classes: ['cat', 'dog'],
      preprocessing: { ...PREPROCESSING, resize: 32, centerCrop: 28, pad: 2, grayToRgb: true },
      seed: 1,
      git: { commit: 'abc' },
    })
    expect(parseRunJson(text, FILE)).toEqual({
      name: 'baseline',
      tags: ['sgd'],
      notes: 'first try',
      classes: ['cat', 'dog'],
      preprocessing: { ...PREPROCESSING, resize: 32, centerCrop: 28, pad: 2, grayToRgb: true },
      meta: { seed: 1, git: { commit: 'abc' } },
    })
  })

  it('leaves out what run.json does not say, and fills preprocessing defaults', () => {
    const parsed = parseRunJson(JSON.stringify({ notes: null, preprocessing: PREPROCESSING }), FILE)
    expect(parsed).toEqual({
      name: null,
      tags: null,
      notes: null,
      classes: null,
      preprocessing: { ...PREPROCESSING, resize: null, centerCrop: null, pad: 0, grayToRgb: false },
      meta: {},
    })
  })

  it.each([
    ['{"name": "a",}', 'is not valid JSON'],
    ['["a"]', 'must hold one JSON object'],
    ['{"name": ""}', `field 'name' must be a non-empty string, not ""`],
    ['{"tags": "baseline"}', `field 'tags' must be a list of strings, not "baseline"`],
    ['{"notes": 3}', `field 'notes' must be a string, not 3`],
    ['{"classes": [0, 1]}', `field 'classes' must be a list of strings`],
    ['{"preprocessing": "imagenet"}', `field 'preprocessing' must be an object`],
    [
      JSON.stringify({ preprocessing: { ...PREPROCESSING, centercrop: 28 } }),
      `field 'preprocessing.centercrop' is not a preprocessing setting`,
    ],
    [
      JSON.stringify({ preprocessing: { ...PREPROCESSING, std: [0.2, 0.2, 0.2] } }),
      `field 'preprocessing.std' must be a list of positive numbers as long as 'mean' (1)`,
    ],
    [
      JSON.stringify({ preprocessing: { ...PREPROCESSING, std: [0] } }),
      `field 'preprocessing.std'`,
    ],
    [
      JSON.stringify({ preprocessing: { ...PREPROCESSING, mean: [0.1, 0.2] } }),
      `field 'preprocessing.mean' must be a list of 1 or 3 numbers`,
    ],
    [
      JSON.stringify({ preprocessing: { ...PREPROCESSING, inputSize: 28 } }),
      `field 'preprocessing.inputSize' must be [height, width]`,
    ],
    [
      JSON.stringify({ preprocessing: { ...PREPROCESSING, resize: 0 } }),
      `field 'preprocessing.resize' must be a positive integer, not 0`,
    ],
    [
      JSON.stringify({ preprocessing: { mean: [0.5], std: [0.25] } }),
      `field 'preprocessing.inputSize'`,
    ],
  ])('refuses %s as RUN_JSON_MALFORMED naming the file and the field', (text, phrase) => {
    const error = thrownBy(() => parseRunJson(text, FILE))
    expectError(error, 'RUN_JSON_MALFORMED', `'${FILE}' `)
    expectError(error, 'RUN_JSON_MALFORMED', phrase)
    expectError(
      error,
      'RUN_JSON_MALFORMED',
      /: fix it \(or delete run\.json\), then import again\.$/,
    )
  })
})
