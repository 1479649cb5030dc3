import { describe, expect, it } from 'vitest'
import { JOB_KIND_MODULES, moduleOfKind } from '../../../electron/api/analyses/index.ts'
import { readsImages } from '../../../electron/api/contract/index.ts'
import type { CheckpointJobBase } from '../../../electron/api/contract/index.ts'

const base: CheckpointJobBase = {
  checkpointId: 3,
  modelPath: null,
  dataset: {
    path: '/d',
    format: 'idx',
    split: null,
    holdout: null,
    classes: null,
    sample: null,
    limit: null,
  },
  preprocessing: null,
  batchSize: null,
  provider: 'auto',
}

function refusal(kind: string, request: unknown): string {
  try {
    moduleOfKind(kind).validate(request as never)
  } catch (error) {
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' })
    return (error as Error).message
  }
  throw new Error(`the ${kind} request was accepted`)
}

describe('job requests checked before a job is recorded', () => {
  it.each(JOB_KIND_MODULES.map((m) => [m.kind, m] as const))(
    'accept the example %s request',
    (_, m) => {
      expect(() => m.validate(m.exampleRequest(base))).not.toThrow()
    },
  )

  it('keep only the model fields of a request for a kind that reads weights only', () => {
    const checked = moduleOfKind('weight-geometry').validate({
      ...base,
      kind: 'weight-geometry',
    } as never)
    expect(checked).toEqual({
      kind: 'weight-geometry',
      checkpointId: 3,
      modelPath: null,
      provider: 'auto',
    })
    expect(readsImages(checked)).toBe(false)
  })

  it('name an unknown kind and the known ones', () => {
    expect(() => moduleOfKind('probe')).toThrow(
      /Unknown job kind 'probe': use evaluate, activation-stats, cka-grams, weight-noise, probes, t3a, gradients, weight-geometry, compression\./,
    )
  })

  it.each(JOB_KIND_MODULES.map((m) => [m.kind, m] as const))(
    'refuse a %s request with a bad provider or batch size',
    (kind, m) => {
      const example = m.exampleRequest(base)
      expect(refusal(kind, { ...example, provider: 'tpu' })).toBe(
        "Unknown execution provider 'tpu': use auto, cuda, dml, cpu.",
      )
      expect(refusal(kind, { ...example, checkpointId: null })).toBe(
        'A job needs a checkpointId or a modelPath.',
      )
      if (!readsImages(example)) return
      expect(refusal(kind, { ...example, batchSize: 0 })).toMatch(
        /^batchSize must be a whole number from 1 to 65536/,
      )
      expect(refusal(kind, { ...example, dataset: null })).toBe(
        'The dataset request is not usable: it must be an object with a path.',
      )
    },
  )

  it('refuse taps that are not a list of names and an unknown pooling', () => {
    const stats = moduleOfKind('activation-stats').exampleRequest(base)
    expect(refusal('activation-stats', { ...stats, taps: 'stem' })).toMatch(/^taps must be null/)
    const grams = moduleOfKind('cka-grams').exampleRequest(base)
    expect(refusal('cka-grams', { ...grams, spatialPooling: 'max' })).toBe(
      "Unknown spatialPooling 'max': use none or mean.",
    )
  })

  const preprocessing = {
    resize: null,
    centerCrop: null,
    pad: 2,
    grayToRgb: true,
    mean: [0.286],
    std: [0.353],
    inputSize: [32, 32],
  }

  it.each([
    ['a list', [], "field 'preprocessing' must be an object, not []"],
    ['a number', 42, "field 'preprocessing' must be an object, not 42"],
    [
      'a misspelt key',
      { ...preprocessing, gray2rgb: true },
      "'preprocessing.gray2rgb' is not a preprocessing setting",
    ],
    [
      'a word for a flag',
      { ...preprocessing, grayToRgb: 'yes' },
      "'preprocessing.grayToRgb' must be",
    ],
    [
      'a negative std',
      { ...preprocessing, std: [-0.35] },
      "'preprocessing.std' must be a list of positive numbers",
    ],
    [
      'a zero std',
      { ...preprocessing, std: [0] },
      "'preprocessing.std' must be a list of positive numbers",
    ],
    [
      'no input size',
      { ...preprocessing, inputSize: undefined },
      "'preprocessing.inputSize' must be [height, width]",
    ],
  ])('refuse preprocessing that is %s, by the rules run.json follows', (_, value, phrase) => {
    const message = refusal('evaluate', { ...base, kind: 'evaluate', preprocessing: value })
    expect(message).toMatch(/^The preprocessing is not usable: /)
    expect(message).toContain(phrase)
  })

  it('fill in the preprocessing defaults an omitted resize or crop stands for', () => {
    const { resize: _r, centerCrop: _c, pad: _p, ...given } = preprocessing
    const checked = moduleOfKind('evaluate').validate({
      ...base,
      kind: 'evaluate',
      preprocessing: given as never,
    })
    expect('preprocessing' in checked && checked.preprocessing).toEqual({
      ...preprocessing,
      pad: 0,
    })
  })
})
