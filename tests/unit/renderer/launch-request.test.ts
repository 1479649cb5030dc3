import { describe, expect, it } from 'vitest'
import type { DatasetRequest, ResultSummary } from '../../../electron/api/contract/index.ts'
import {
  datasetBaseKey,
  datasetLabel,
  signed,
} from '../../../renderer/src/components/common/format.ts'
import {
  buildRequest,
  defaultLaunchParams,
  parseTaps,
  requestLike,
} from '../../../renderer/src/components/launcher/launch-request.ts'

const testSplit: DatasetRequest = {
  path: '/data/fashion-mnist',
  format: 'auto',
  split: 't10k',
  holdout: null,
  classes: null,
  sample: null,
  limit: null,
}

describe('launcher requests', () => {
  it('evaluates a seeded sample of 1000 images with automatic batch and provider by default', () => {
    const request = buildRequest(defaultLaunchParams('evaluate'), 19, testSplit)
    expect(request).toMatchObject({
      kind: 'evaluate',
      checkpointId: 19,
      modelPath: null,
      preprocessing: null,
      batchSize: null,
      provider: 'auto',
      dataset: { ...testSplit, sample: { count: 1000, seed: 0 }, limit: null },
    })
  })

  it('collects activation statistics on 256 images, every tap, 4096 values and 64 bins', () => {
    const request = buildRequest(defaultLaunchParams('activation-stats'), 3, testSplit)
    expect(request).toMatchObject({
      kind: 'activation-stats',
      taps: null,
      histogramSamplesPerBatch: 4096,
      histogramBins: 64,
      seed: 0,
      dataset: { sample: { count: 256, seed: 0 } },
    })
  })

  it('uses every image when the sample is switched off', () => {
    const params = defaultLaunchParams('evaluate')
    params.sampleCount.evaluate = null
    expect(buildRequest(params, 1, testSplit)).toMatchObject({ dataset: { sample: null } })
  })

  it('reads layer keys separated by commas or spaces; empty means every tap', () => {
    expect(parseTaps(' stem, layer1.0  layer4.2,')).toEqual(['stem', 'layer1.0', 'layer4.2'])
    expect(parseTaps('  ')).toBeNull()
  })

  it('computes a missing comparison result on the images, preprocessing and taps of another', () => {
    const like = {
      kind: 'activation-stats',
      provenance: {
        dataset: { ...testSplit, limit: 200 },
        preprocessing: {
          resize: null,
          centerCrop: null,
          pad: 2,
          grayToRgb: true,
          mean: [0.3],
          std: [0.35],
          inputSize: [32, 32],
        },
        providers: {
          requested: 'cpu',
          attached: ['CPUExecutionProvider'],
          nodePlacement: {},
          fallbackReason: null,
        },
        parameters: {
          taps: ['layer1.0', 'pooled'],
          histogramSamplesPerBatch: 1024,
          histogramBins: 32,
          seed: 7,
          sampling: 'per tap',
        },
      },
    } as unknown as ResultSummary
    const request = requestLike(like, 5)
    expect(request).toEqual({
      kind: 'activation-stats',
      checkpointId: 5,
      modelPath: null,
      dataset: { ...testSplit, limit: 200 },
      preprocessing: like.provenance.preprocessing,
      batchSize: null,
      provider: 'cpu',
      taps: ['layer1.0', 'pooled'],
      histogramSamplesPerBatch: 1024,
      histogramBins: 32,
      seed: 7,
    })
  })
})

describe('dataset and delta labels', () => {
  it('says every image was used when the asked sample is larger than the set', () => {
    const dataset = { ...testSplit, sample: { count: 1000, seed: 0 } }
    expect(datasetLabel(dataset, null, 160)).toBe(
      'fashion-mnist · t10k · all 160 images (a sample of 1000 was asked)',
    )
    expect(datasetLabel(dataset, null, 1000)).toBe('fashion-mnist · t10k · 1000 sampled (seed 0)')
  })

  it('says every image was used when the set is smaller than the asked first N', () => {
    const dataset = { ...testSplit, limit: 1024 }
    expect(datasetLabel(dataset, null, 64)).toBe(
      'fashion-mnist · t10k · all 64 images (the first 1024 were asked)',
    )
    expect(datasetLabel(dataset, null, 1024)).toBe('fashion-mnist · t10k · first 1024')
    expect(datasetLabel(dataset)).toBe('fashion-mnist · t10k · first 1024')
  })

  it('treats the same images with other samples or class names as one set', () => {
    const named = {
      ...testSplit,
      path: '/data/fashion-mnist/',
      classes: ['a'],
      sample: { count: 5, seed: 1 },
    }
    expect(datasetBaseKey(named)).toBe(datasetBaseKey(testSplit))
    expect(datasetBaseKey({ ...testSplit, split: 'train' })).not.toBe(datasetBaseKey(testSplit))
  })

  it('signs deltas with a true minus and shows a zero delta as ±0', () => {
    expect(signed(-0.0221, 2, ' pp')).toBe('−0.02 pp')
    expect(signed(1.5, 1)).toBe('+1.5')
    expect(signed(0.0001, 2)).toBe('±0.00')
  })
})
