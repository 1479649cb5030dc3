import { describe, expect, it } from 'vitest'
import { checkDatasetRequest } from '../../../electron/api/dataset-request.ts'

const valid = {
  path: '/data/fmnist',
  format: 'idx',
  split: 't10k',
  holdout: null,
  classes: null,
  sample: { count: 100, seed: 0 },
  limit: null,
}

function problem(request: unknown): string {
  try {
    checkDatasetRequest(request)
  } catch (error) {
    return (error as Error).message.replace('The dataset request is not usable: ', '')
  }
  throw new Error('expected a refusal')
}

describe('checkDatasetRequest', () => {
  it('passes a complete request and fills absent optional fields with their defaults', () => {
    expect(checkDatasetRequest(valid)).toEqual(valid)
    expect(checkDatasetRequest({ path: '/data/x' })).toEqual({
      path: '/data/x',
      format: 'auto',
      split: null,
      holdout: null,
      classes: null,
      sample: null,
      limit: null,
    })
  })

  it('keeps a corrupted slice, and leaves the field out of a clean request', () => {
    const slice = { layout: 'cifar-10-c', corruption: 'fog', severity: 3 }
    const corrupted = { ...valid, format: 'auto', split: null, corrupted: slice }
    expect(checkDatasetRequest(corrupted)).toEqual(corrupted)
    expect(checkDatasetRequest({ ...valid, corrupted: null })).not.toHaveProperty('corrupted')
  })

  it.each([
    [null, 'it must be an object with a path.'],
    [{ ...valid, path: '' }, 'path must name a dataset folder.'],
    [{ ...valid, format: 'csv' }, "unknown format 'csv': use auto, imagefolder, idx, npy."],
    [{ ...valid, split: 3 }, 'split must be null or a split name.'],
    [{ ...valid, limit: 1e62 }, 'limit must be a positive whole number or null, not 1e+62.'],
    [{ ...valid, limit: 0 }, 'limit must be a positive whole number or null, not 0.'],
    [
      { ...valid, sample: { count: 2.5, seed: 0 } },
      'sample.count must be a positive whole number, not 2.5.',
    ],
    [{ ...valid, sample: { count: 5 } }, 'sample.seed must be a whole number, not undefined.'],
    [
      { ...valid, holdout: { fraction: 1, seed: 0, part: 'rest' } },
      'holdout.fraction must be between 0 and 1 (exclusive), not 1.',
    ],
    [
      { ...valid, holdout: { fraction: 0.1, seed: 0, part: 'both' } },
      "holdout.part must be 'holdout' or 'rest', not both.",
    ],
    [{ ...valid, classes: [] }, 'classes must be null or a non-empty list of class names.'],
    [
      { ...valid, corrupted: { layout: 'imagenet-c', corruption: 'mist', severity: 1 } },
      "unknown corruption 'mist': use gaussian_noise, shot_noise, impulse_noise, defocus_blur, glass_blur, motion_blur, zoom_blur, snow, frost, fog, brightness, contrast, elastic_transform, pixelate, jpeg_compression, speckle_noise, gaussian_blur, spatter, saturate.",
    ],
    [
      { ...valid, corrupted: { layout: 'cifar-10-c', corruption: 'fog', severity: 6 } },
      'corrupted.severity must be 1 to 5, not 6.',
    ],
    [
      { ...valid, corrupted: { layout: 'cifar-10-c', corruption: 'fog', severity: 2 } },
      'a corrupted slice is chosen by its corruption and severity: use format auto, split null.',
    ],
  ])('refuses %j', (request, message) => {
    expect(problem(request)).toBe(message)
  })
})
