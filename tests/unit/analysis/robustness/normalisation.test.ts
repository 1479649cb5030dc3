import { describe, expect, it } from 'vitest'
import { CORRUPTION_NAMES } from '../../../../electron/api/contract/index.ts'
import { chooseNormalisation } from '../../../../native-models/analysis/robustness/sweep/normalisation.ts'
import type { NormalisationInputs } from '../../../../native-models/analysis/robustness/sweep/normalisation.ts'

const official: NormalisationInputs = {
  source: 'imagenet-c',
  datasetClasses: 1000,
  modelOutputs: [1000, 1000],
  corruptions: CORRUPTION_NAMES.slice(0, 15),
  severities: [1, 2, 3, 4, 5],
  reference: null,
}

describe('the CE normaliser of a sweep', () => {
  it('is AlexNet for the official ImageNet-C files with 1000 classes, and says so', () => {
    const choice = chooseNormalisation(official)
    expect(choice.kind).toBe('alexnet')
    expect(choice.note).toContain("AlexNet's published ImageNet-C errors")
    expect(choice.note).toContain('clean 43.48 %')
    expect(choice.note).toContain('mCE averages the 15 benchmark corruptions swept.')
  })

  it('keeps AlexNet over a reference, and says the extra corruptions get no CE', () => {
    const choice = chooseNormalisation({
      ...official,
      corruptions: ['fog', 'contrast', 'speckle_noise', 'saturate'],
      reference: 'seed0@10',
    })
    expect(choice.kind).toBe('alexnet')
    expect(choice.note).toContain(
      'the 2 benchmark corruptions swept (the protocol averages all 15)',
    )
    expect(choice.note).toContain('speckle_noise, saturate have no AlexNet error, so no CE')
    expect(choice.note).toContain('seed0@10 is swept but does not divide CE')
  })

  it.each([
    ['corruptions generated in memory', { source: 'generated' }, 'generated in memory'],
    ['a CIFAR-10-C set', { source: 'cifar-10-c' }, 'a CIFAR-10-C set'],
    [
      '10 classes',
      { datasetClasses: 10, modelOutputs: [10] },
      'the images have 10 classes and the model 10 outputs',
    ],
    [
      'a model with 1001 outputs',
      { modelOutputs: [1000, 1001] },
      "the models 1000 / 1001 outputs, not ImageNet's 1000",
    ],
    ['three severities', { severities: [1, 3, 5] }, 'severities 2, 4 are not swept'],
    [
      'only extra corruptions',
      { corruptions: ['spatter'] },
      'none of the 15 benchmark corruptions',
    ],
  ] as const)('falls back to the reference for %s, saying why', (_, change, why) => {
    const withReference = chooseNormalisation({ ...official, ...change, reference: 'base@3' })
    expect(withReference.kind).toBe('reference')
    expect(withReference.note).toContain('Σ error of base@3 on the same cells')
    expect(withReference.note).toContain(why)
    const alone = chooseNormalisation({ ...official, ...change })
    expect(alone).toEqual({ kind: 'none', note: expect.stringContaining(why) as string })
    expect(alone.note).toContain('choose a reference checkpoint')
  })
})
