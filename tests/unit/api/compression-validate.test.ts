import { describe, expect, it } from 'vitest'
import { validateCompression } from '../../../electron/api/analyses/compression/validate.ts'
import type { CompressionRequest } from '../../../electron/api/contract/index.ts'
import { RequestError } from '../../../electron/api/errors.ts'

const VALID: CompressionRequest = {
  kind: 'compression',
  checkpointId: 3,
  modelPath: null,
  dataset: {
    path: '/data/fmnist',
    format: 'idx',
    split: 't10k',
    holdout: null,
    classes: null,
    sample: null,
    limit: null,
  },
  preprocessing: null,
  batchSize: null,
  provider: 'cpu',
  bits: [2, 3, 4, 8, 16],
  together: true,
  eachAlone: false,
  acgc: { tolerance: 1, gradientBatches: 4 },
  compressionBatch: 64,
}

const validate = (changes: Record<string, unknown>): CompressionRequest =>
  validateCompression({ ...VALID, ...changes })

/** The refusal of `VALID` with `changes`, as a RequestError's message. */
function refusal(changes: Record<string, unknown>): string {
  let error: unknown = null
  try {
    validate(changes)
  } catch (thrown) {
    error = thrown
  }
  expect(error).toBeInstanceOf(RequestError)
  expect((error as RequestError).code).toBe('INVALID_ARGUMENT')
  return (error as RequestError).message
}

describe('a compression request', () => {
  it('passes whole, its widths sorted ascending with each width once', () => {
    const checked = validate({ bits: [16, 2, 8, 2, 1] })
    expect(checked.bits).toEqual([1, 2, 8, 16])
    expect(checked).toEqual({ ...VALID, bits: [1, 2, 8, 16] })
  })

  it.each([
    ['no widths', []],
    ['a width that is not a list', 8],
    ['no bits at all', undefined],
  ])('is refused with %s', (_, bits) => {
    expect(refusal({ bits })).toMatch(/^bits must list at least one width from 1 to 16, got /)
  })

  it.each([0, 17, 2.5, -4, '8', null])('is refused with the width %j', (width) => {
    expect(refusal({ bits: [2, width] })).toBe(
      `Each of bits must be a whole number from 1 to 16, got ${JSON.stringify(width)}.`,
    )
  })

  it('is refused when it measures nothing, with a sentence naming the three fields', () => {
    const message = refusal({ together: false, eachAlone: false, acgc: null })
    expect(message).toContain('together')
    expect(message).toContain('eachAlone')
    expect(message).toContain('acgc')
    expect(message).toMatch(/measures nothing/)
  })

  it('passes with only the bit choice, or only the sweep of each site alone', () => {
    expect(() => validate({ together: false, eachAlone: false })).not.toThrow()
    expect(() => validate({ together: false, eachAlone: true, acgc: null })).not.toThrow()
  })

  it('is refused when together or eachAlone is not a boolean', () => {
    expect(refusal({ together: 'yes' })).toBe('together must be true or false, got yes.')
    expect(refusal({ eachAlone: 1 })).toBe('eachAlone must be true or false, got 1.')
  })

  it.each([0, -1, Number.POSITIVE_INFINITY, Number.NaN, '1'])(
    'is refused with the tolerance %s',
    (tolerance) => {
      expect(refusal({ acgc: { tolerance, gradientBatches: 4 } })).toMatch(
        /^acgc\.tolerance must be a finite number > 0/,
      )
    },
  )

  it.each([0, 65, 1.5])('is refused with %s gradient batches', (gradientBatches) => {
    expect(refusal({ acgc: { tolerance: 1, gradientBatches } })).toBe(
      `acgc.gradientBatches must be a whole number from 1 to 64, got ${gradientBatches}.`,
    )
  })

  it.each([undefined, 'on', [1, 4]])('is refused with acgc settings that are %j', (acgc) => {
    expect(refusal({ acgc })).toBe(
      'acgc must be null (no bit choice) or { tolerance, gradientBatches }.',
    )
  })

  it('keeps only the two AC-GC settings', () => {
    const checked = validate({ acgc: { tolerance: 0.5, gradientBatches: 2, extra: true } })
    expect(checked.acgc).toEqual({ tolerance: 0.5, gradientBatches: 2 })
  })

  it.each([0, 4097, 8.5])('is refused with a compression batch of %s', (compressionBatch) => {
    expect(refusal({ compressionBatch })).toBe(
      `compressionBatch must be a whole number from 1 to 4096, got ${compressionBatch}.`,
    )
  })

  it('accepts a batchSize equal to compressionBatch and refuses any other', () => {
    expect(validate({ batchSize: 64 }).batchSize).toBe(64)
    expect(refusal({ batchSize: 32 })).toMatch(
      /^batchSize is not used by compression: .*compressionBatch images \(64\); leave batchSize out or set compressionBatch instead\.$/,
    )
  })

  it('is refused with the checkpoint job fields checked as every analysis checks them', () => {
    expect(refusal({ provider: 'tpu' })).toBe(
      "Unknown execution provider 'tpu': use auto, cuda, dml, cpu.",
    )
    expect(refusal({ dataset: null })).toBe(
      'The dataset request is not usable: it must be an object with a path.',
    )
  })
})
