import { describe, expect, it } from 'vitest'
import type { T3aDomain, T3aRequest } from '../../../electron/api/contract/index.ts'
import { validateT3a } from '../../../electron/api/analyses/t3a/validate.ts'
import { RequestError } from '../../../electron/api/errors.ts'

const dataset = (path: string) => ({
  path,
  format: 'imagefolder' as const,
  split: null,
  holdout: null,
  classes: null,
  sample: null,
  limit: null,
})

const FOG = { name: 'fog', severity: 3, seed: 0, jpegQuality: null, padding: 'before' } as const

const DOMAINS: T3aDomain[] = [
  { label: 'photo', dataset: dataset('/data/pacs/photo'), corruption: null },
  { label: 'sketch', dataset: dataset('/data/pacs/sketch'), corruption: null },
  { label: 'photo · fog 3', dataset: dataset('/data/pacs/photo'), corruption: FOG },
]

const VALID: T3aRequest = {
  kind: 't3a',
  checkpointId: null,
  modelPath: '/models/resnet50.onnx',
  dataset: dataset('/data/pacs/photo'),
  preprocessing: null,
  batchSize: null,
  provider: 'auto',
  domains: DOMAINS,
  filters: [1, 5, 'all'],
  allBehaviour: 'keep-every-support',
  streamBatch: 32,
  order: { kind: 'shuffle', seed: 0 },
  lastPartialBatch: 'predict',
}

function refusal(changes: Record<string, unknown>): string {
  let error: unknown = null
  try {
    validateT3a({ ...VALID, ...changes })
  } catch (thrown) {
    error = thrown
  }
  expect(error).toBeInstanceOf(RequestError)
  expect((error as RequestError).code).toBe('INVALID_ARGUMENT')
  return (error as RequestError).message
}

describe('validateT3a', () => {
  it('passes a complete request, its filters sorted without repeats and all last', () => {
    const checked = validateT3a({ ...VALID, filters: ['all', 20, 1, 20, 5] })
    expect(checked.filters).toEqual([1, 5, 20, 'all'])
    expect(checked.domains).toEqual(DOMAINS)
    expect(checked.order).toEqual({ kind: 'shuffle', seed: 0 })
  })

  it('keeps null domains (the dataset alone), the dataset order and the largest seed', () => {
    const checked = validateT3a({
      ...VALID,
      domains: null,
      order: { kind: 'dataset' },
      filters: ['all'],
    })
    expect(checked.domains).toBeNull()
    expect(checked.order).toEqual({ kind: 'dataset' })
    expect(checked.filters).toEqual(['all'])
    expect(validateT3a({ ...VALID, order: { kind: 'shuffle', seed: 2 ** 32 - 1 } }).order).toEqual({
      kind: 'shuffle',
      seed: 2 ** 32 - 1,
    })
  })

  it.each([[[]], [null], ['all']])('refuses filters %j: at least one M is needed', (filters) => {
    expect(refusal({ filters })).toContain('filters must list at least one M')
  })

  it.each([[[0]], [[-5]], [[2.5]], [['ALL']], [['5']], [[100_001]]])(
    'refuses filters %j, naming the allowed M',
    (filters) => {
      expect(refusal({ filters })).toContain(
        "Each filter M must be a whole number from 1 to 100000 or 'all'",
      )
    },
  )

  it('refuses two domains with the same label', () => {
    const domains = [DOMAINS[0], { ...DOMAINS[1], label: 'photo' }]
    expect(refusal({ domains })).toBe("Two domains are labelled 'photo': labels must differ.")
  })

  it.each([[''], ['   '], [undefined], [7]])('refuses a domain label %j', (label) => {
    const domains = [DOMAINS[0], { ...DOMAINS[1], label }]
    expect(refusal({ domains })).toContain('Domain 2 needs a label')
  })

  it('refuses an empty list of domains and more than 200', () => {
    expect(refusal({ domains: [] })).toBe('domains must be null or list 1 to 200 domains.')
    const many = Array.from({ length: 201 }, (_, i) => ({ ...DOMAINS[0], label: `d${i}` }))
    expect(refusal({ domains: many })).toBe('domains must be null or list 1 to 200 domains.')
  })

  it('refuses a domain that is not an object', () => {
    expect(refusal({ domains: [DOMAINS[0], null] })).toBe('Domain 2 is not an object.')
  })

  it('names the domain whose dataset is malformed', () => {
    const domains = [DOMAINS[0], { ...DOMAINS[1], dataset: { ...DOMAINS[1].dataset, path: '' } }]
    expect(refusal({ domains })).toBe(
      "Domain 2 ('sketch') dataset is not usable: path must name a dataset folder.",
    )
  })

  it('refuses a domain whose corruption cell is unknown', () => {
    const domains = [{ ...DOMAINS[2], corruption: { ...FOG, name: 'haze' } }]
    expect(refusal({ domains })).toContain("Unknown corruption 'haze'")
  })

  it.each([
    [null],
    [{ kind: 'shuffle' }],
    [{ kind: 'shuffle', seed: -1 }],
    [{ kind: 'shuffle', seed: 2 ** 32 }],
    [{ kind: 'shuffle', seed: 1.5 }],
    [{ kind: 'random', seed: 0 }],
    ['dataset'],
  ])('refuses order %j, naming both forms', (order) => {
    expect(refusal({ order })).toContain(
      "order must be { kind: 'shuffle', seed } (a whole seed below 2^32) or { kind: 'dataset' }",
    )
  })

  it.each([[0], [4097], [1.5], [null]])('refuses streamBatch %j', (streamBatch) => {
    expect(refusal({ streamBatch })).toContain('streamBatch must be a whole number from 1 to 4096')
  })

  it('refuses an unknown lastPartialBatch and allBehaviour', () => {
    expect(refusal({ lastPartialBatch: 'keep' })).toBe(
      "lastPartialBatch must be 'predict' or 'drop', got 'keep'.",
    )
    expect(refusal({ allBehaviour: 'reference' })).toContain(
      "allBehaviour must be 'keep-every-support' or 'reference-drops-highest-entropy'",
    )
  })
})
