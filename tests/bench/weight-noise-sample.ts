// Weight noise: what one (σ, sample) costs before any image runs (the initializers patched with
// θ·ξ and a new session created from the patched copy, as the weight-noise job does) against one
// forward pass of that session over the subset; in the bench process, same ORT thread settings.
import {
  multiplicativeNoise,
  weightNoiseSeed,
} from '../../native-models/analysis/robustness/weight-noise/index.ts'
import { loadModel } from '../../native-models/onnx/index.ts'
import { tensorToFloat32 } from '../../native-models/onnx/tensor-data.ts'
import { createSession } from '../../native-models/runtime/index.ts'
import { withReplacedInitializers } from '../../native-models/surgery/noisy-model.ts'
import { weightNoiseTargets } from '../../native-models/surgery/weight-noise-targets.ts'
import { BATCH_SIZE } from './fixtures.ts'
import type { Fixture } from './fixtures.ts'

export interface WeightNoiseSampleCost {
  label: string
  samples: number
  subsetImages: number
  perturbedTensors: number
  perturbedParameters: number
  /** Means over the samples. */
  patchSeconds: number
  sessionSeconds: number
  forwardSeconds: number
}

const SIGMA = 0.1

export async function measureWeightNoiseSample(
  fixture: Fixture,
  subsetImages: number,
  samples: number,
): Promise<WeightNoiseSampleCost> {
  const loaded = await loadModel(fixture.modelPath)
  const targets = weightNoiseTargets(loaded.model, 'weights')
  const byName = new Map((loaded.model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]))
  const external = (tensor: { name?: string }) => loaded.externalTensors.get(tensor.name ?? '')
  const clean = targets.map((t) => tensorToFloat32(byName.get(t.name)!, external))
  const size = fixture.resolution.inputSize
  const batch = new Float32Array(BATCH_SIZE * 3 * size * size).map((_, i) => Math.sin(i) * 2)
  const totals = { patch: 0, session: 0, forward: 0 }
  for (let sample = 0; sample < samples; sample += 1) {
    let at = performance.now()
    const replacements = new Map<string, Float32Array>()
    targets.forEach((target, i) => {
      const seed = weightNoiseSeed(0, sample, target.index)
      replacements.set(target.name, multiplicativeNoise(clean[i], SIGMA, seed))
    })
    const noisy = withReplacedInitializers(loaded.model, replacements)
    totals.patch += (performance.now() - at) / 1000
    at = performance.now()
    const session = await createSession(noisy, { provider: 'cpu' })
    totals.session += (performance.now() - at) / 1000
    try {
      at = performance.now()
      for (let done = 0; done < subsetImages; done += BATCH_SIZE) {
        const images = Math.min(BATCH_SIZE, subsetImages - done)
        const data = batch.subarray(0, images * 3 * size * size)
        await session.run({ input: { data, dims: [images, 3, size, size] } })
      }
      totals.forward += (performance.now() - at) / 1000
    } finally {
      await session.release()
    }
  }
  return {
    ...{ label: fixture.resolution.label, samples, subsetImages },
    perturbedTensors: targets.length,
    perturbedParameters: targets.reduce((sum, t) => sum + t.elements, 0),
    patchSeconds: totals.patch / samples,
    sessionSeconds: totals.session / samples,
    forwardSeconds: totals.forward / samples,
  }
}
