import { describe, expect, it } from 'vitest'
import type { PrecomputedSet } from '../../../electron/api/contract/index.ts'
import {
  defaultSweepForm,
  offeredCorruptions,
  sweepRequestOf,
} from '../../../renderer/src/analyses/robustness/sweep-form.ts'
import type { SweepForm } from '../../../renderer/src/analyses/robustness/sweep-form.ts'

const listed: PrecomputedSet = {
  path: '/data/CIFAR-10-C',
  layout: 'cifar-10-c',
  corruptions: [
    { name: 'snow', severities: [1, 2, 3, 4, 5] },
    { name: 'spatter', severities: [1, 2, 3, 4, 5] },
  ],
  unknown: [],
  imagesPerCell: 10000,
  warnings: [],
}

function form(overrides: Partial<SweepForm>): SweepForm {
  const dataset = {
    path: '/data/cifar10',
    format: 'auto' as const,
    split: 'test',
    holdout: null,
    classes: null,
    sample: null,
    limit: null,
  }
  return { ...defaultSweepForm([4]), dataset, ...overrides }
}

describe('the sweep form with corrupted images from a folder', () => {
  it('offers the corruptions the folder holds, and sweeps those chosen among them', () => {
    const fromFolder = form({ imagesFrom: 'folder', precomputedSet: listed })
    expect(offeredCorruptions(fromFolder)).toEqual(['snow', 'spatter'])
    const request = sweepRequestOf({ ...fromFolder, corruptions: ['fog', 'snow'] })
    expect(request).toMatchObject({
      corruptions: ['snow'],
      precomputed: { path: '/data/CIFAR-10-C', layout: 'cifar-10-c' },
    })
  })

  it('asks for the folder before it can start, and generates when asked to', () => {
    expect(sweepRequestOf(form({ imagesFrom: 'folder' }))).toBe(
      'Choose the folder of corrupted images.',
    )
    const generated = sweepRequestOf(form({ precomputedSet: listed }))
    expect(generated).toMatchObject({ precomputed: null })
    expect(offeredCorruptions(form({}))).toHaveLength(19)
  })
})
