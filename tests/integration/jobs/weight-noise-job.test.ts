import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SynthRequest, WeightNoiseRequest } from '../../../electron/api/contract/index.ts'
import {
  multiplicativeNoise,
  weightNoiseSeed,
} from '../../../native-models/analysis/robustness/weight-noise/index.ts'
import { weightNoiseJob } from '../../../native-models/engine/jobs/weight-noise/weight-noise.ts'
import type { ResolvedJob } from '../../../native-models/engine/job-types.ts'
import { loadModel } from '../../../native-models/onnx/index.ts'
import { tensorToFloat32 } from '../../../native-models/onnx/tensor-data.ts'
import { createSession } from '../../../native-models/runtime/index.ts'
import { withReplacedInitializers } from '../../../native-models/surgery/noisy-model.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import { weightNoiseTargets } from '../../../native-models/surgery/weight-noise-targets.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  fmnistTestImages,
  recordingContext,
} from './evaluate-job-helpers.ts'

const SYNTH = (bnFolded: boolean): SynthRequest => ({
  depth: 18,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded,
  opset: 17,
  seed: 8,
  batch: 'dynamic',
  externalData: false,
})

let folder = ''
let folded = ''
let bnKept = ''

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'weight-noise-job-'))
  folded = join(folder, 'folded.onnx')
  bnKept = join(folder, 'bn-kept.onnx')
  await writeSynthesizedResNet(folded, SYNTH(true))
  await writeSynthesizedResNet(bnKept, SYNTH(false))
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

function noiseJob(
  modelPath: string,
  overrides: Partial<WeightNoiseRequest> = {},
): ResolvedJob<WeightNoiseRequest> {
  const dataset = fmnistTestImages(FMNIST_64_FOLDER, 24)
  const request: WeightNoiseRequest = {
    kind: 'weight-noise',
    checkpointId: null,
    modelPath,
    dataset,
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: 8,
    provider: 'cpu',
    sigmas: [0, 0.1],
    samples: 2,
    seed: 3,
    scope: 'weights',
    ...overrides,
  }
  return {
    jobId: 1,
    request,
    modelPath,
    modelSha256: '',
    preprocessing: FMNIST_PREPROCESSING,
    dataset,
  }
}

describe('the weight-noise job', () => {
  it('perturbs conv, linear and BN-scale tensors of a BN-kept ResNet18, and says so', async () => {
    const { model } = await loadModel(bnKept)
    const weights = weightNoiseTargets(model, 'weights')
    const every = weightNoiseTargets(model, 'all')
    // 20 convs + fc weight + 20 BN scales; 'all' adds the fc bias and 20 BN shifts.
    expect(weights.map((t) => t.role).filter((r) => r === 'weight')).toHaveLength(21)
    expect(weights.filter((t) => t.role === 'bn-scale')).toHaveLength(20)
    expect(every).toHaveLength(weights.length + 21)
    const context = recordingContext()
    const { payload } = await weightNoiseJob(noiseJob(bnKept), context)
    expect(payload.isBnFolded).toBe(false)
    expect(payload.perturbed.tensors).toBe(weights.length)
    expect(payload.levels.map((l) => [l.sigma, l.samples])).toEqual([
      [0, 1],
      [0.1, 2],
    ])
    expect(payload.samples).toHaveLength(3)
    expect(context.reports.at(-1)).toMatchObject({ done: 3 * 24, total: 3 * 24 })
  })

  it('flags a BN-folded export, whose noise hits W·γ/σ', async () => {
    const { payload } = await weightNoiseJob(noiseJob(folded, { sigmas: [0] }), recordingContext())
    expect(payload.isBnFolded).toBe(true)
  })

  it('reproduces the clean logits bit for bit at σ = 0 and changes them at σ > 0', async () => {
    const loaded = await loadModel(folded)
    const targets = weightNoiseTargets(loaded.model, 'weights')
    const byName = new Map((loaded.model.graph?.initializer ?? []).map((t) => [t.name, t]))
    const replaced = (sigma: number, sample: number) =>
      withReplacedInitializers(
        loaded.model,
        new Map(
          targets.map((t) => [
            t.name,
            multiplicativeNoise(
              tensorToFloat32(byName.get(t.name)!),
              sigma,
              weightNoiseSeed(3, sample, t.index),
            ),
          ]),
        ),
      )
    const input = {
      data: new Float32Array(2 * 3 * 32 * 32).map((_, i) => Math.sin(i)),
      dims: [2, 3, 32, 32],
    }
    const logits = async (model: Parameters<typeof createSession>[0]) => {
      const session = await createSession(model, { intraOpNumThreads: 1 })
      try {
        const out = await session.run({ [session.inputNames[0]]: input })
        return out[session.outputNames[0]].data
      } finally {
        await session.release()
      }
    }
    const clean = await logits(folded)
    expect(await logits(replaced(0, 0))).toEqual(clean)
    expect(await logits(replaced(0.1, 1))).not.toEqual(clean)
  })
})
