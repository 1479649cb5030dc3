import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ckaMatrix } from '../../../native-models/analysis/cka/cka.ts'
import { openDataset } from '../../../native-models/data/index.ts'
import { createBatchLoader } from '../../../native-models/data/batch-loader.ts'
import {
  datasetInOrder,
  pinnedBatchOrder,
} from '../../../native-models/engine/jobs/cka/batch-order.ts'
import { resolveCkaTaps } from '../../../native-models/engine/jobs/cka/settings.ts'
import { loadModel, summarizeLoadedModel } from '../../../native-models/onnx/index.ts'
import { createSession } from '../../../native-models/runtime/index.ts'
import { buildGramGraph } from '../../../native-models/surgery/gram-graph.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
} from '../../fixtures/data/fmnist.ts'
import { centeredGram64, minibatchCka64 } from './float64-reference.ts'

const temp = mkdtempSync(join(tmpdir(), 'cka-float64-'))
const TAPS = ['stem', 'layer1.0', 'layer3.5', 'pooled']
const N = 16
// Per batch: ORT's float32 Grams and a float64 Gram of the same activations, per tap.
const ortGrams: Float32Array[][] = TAPS.map(() => [])
const float64Grams: Float64Array[][] = TAPS.map(() => [])

beforeAll(async () => {
  const path = join(temp, 'resnet50.onnx')
  await writeSynthesizedResNet(path, {
    depth: 50,
    numClasses: 10,
    inputSize: 32,
    cifarStem: false,
    bnFolded: true,
    opset: 17,
    seed: 5,
    batch: 'dynamic',
    externalData: false,
  })
  const loaded = await loadModel(path)
  const taps = resolveCkaTaps(summarizeLoadedModel(loaded), TAPS)
  const graph = buildGramGraph(loaded.model, taps, { pooling: 'none', exposeActivations: true })
  const session = await createSession(graph.model, { intraOpNumThreads: 2 })
  const selection = await openDataset(idxTestImages(FMNIST_64_FOLDER, 48))
  const order = pinnedBatchOrder(selection.size, N, 0)
  const loader = createBatchLoader(datasetInOrder(selection, order), {
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: N,
  })
  try {
    for await (const batch of loader) {
      const outputs = await session.run(
        { [session.inputNames[0]]: { data: batch.images, dims: batch.dims } },
        graph.taps.flatMap((t) => [t.gram, t.activation!]),
      )
      graph.taps.forEach((tap, t) => {
        ortGrams[t].push(outputs[tap.gram].data)
        float64Grams[t].push(centeredGram64(outputs[tap.activation!].data, N))
      })
    }
  } finally {
    await loader.close()
    await session.release()
  }
}, 120_000)

afterAll(() => rmSync(temp, { recursive: true, force: true }))

describe('CKA through ORT on a full-size ResNet50 (32², n = 16, 3 batches)', () => {
  it('equals a float64 unbiased-HSIC reference on the same Grams to 1e-6', () => {
    const matrix = ckaMatrix({ n: N, grams: ortGrams }, { n: N, grams: ortGrams }, 'minibatch')
    TAPS.forEach((_, i) =>
      TAPS.forEach((_, j) => {
        const reference = minibatchCka64(ortGrams[i], ortGrams[j], N)
        expect(Math.abs(matrix[i][j]! - reference)).toBeLessThan(1e-6)
      }),
    )
  })

  it('is within 1e-4 of CKA from float64 activations, the layer1 tap included', () => {
    const fromOrt = ckaMatrix({ n: N, grams: ortGrams }, { n: N, grams: ortGrams }, 'minibatch')
    const worst = TAPS.flatMap((_, i) =>
      TAPS.map((_, j) =>
        Math.abs(fromOrt[i][j]! - minibatchCka64(float64Grams[i], float64Grams[j], N)),
      ),
    )
    expect(Math.max(...worst)).toBeLessThan(1e-4)
    const layer1 = TAPS.indexOf('layer1.0')
    expect(
      Math.abs(fromOrt[layer1][0]! - minibatchCka64(float64Grams[layer1], float64Grams[0], N)),
    ).toBeLessThan(1e-4)
  })
})
