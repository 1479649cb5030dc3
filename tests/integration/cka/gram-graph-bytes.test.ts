import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveCkaTaps } from '../../../native-models/engine/jobs/cka/settings.ts'
import { loadModel, summarizeLoadedModel } from '../../../native-models/onnx/index.ts'
import type { LoadedModel } from '../../../native-models/onnx/index.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { createSession } from '../../../native-models/runtime/index.ts'
import type { OutputTensor } from '../../../native-models/runtime/index.ts'
import { buildGramGraph } from '../../../native-models/surgery/gram-graph.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'

let folder = ''
let loaded: LoadedModel
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gram-graph-bytes-'))
  const path = join(folder, 'resnet18.onnx')
  await writeSynthesizedResNet(path, {
    ...{ depth: 18, numClasses: 10, inputSize: 32, cifarStem: false, bnFolded: true },
    ...{ opset: 17, seed: 11, batch: 'dynamic', externalData: true },
  })
  loaded = await loadModel(path)
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function gramsOf(bytes: Uint8Array, names: string[]): Promise<Record<string, OutputTensor>> {
  const session = await createSession(bytes, { intraOpNumThreads: 1, externalDataFolder: folder })
  const data = Float32Array.from({ length: 8 * 3 * 32 * 32 }, (_, i) => Math.sin(i * 0.37))
  try {
    return await session.run({ [session.inputNames[0]]: { data, dims: [8, 3, 32, 32] } }, names)
  } finally {
    await session.release()
  }
}

describe('the Gram graph written after the checkpoint bytes', () => {
  it('gives ONNX Runtime the same Grams as the fully encoded graph, external data included', async () => {
    const taps = resolveCkaTaps(summarizeLoadedModel(loaded), null)
    const graph = buildGramGraph(loaded.model, taps, { pooling: 'none' })
    const names = graph.taps.map((tap) => tap.gram)
    const appended = await gramsOf(graph.encodeAppendedTo(loaded.bytes), names)
    const encoded = await gramsOf(encodeModelProto(graph.model), names)
    expect(names).toHaveLength(10)
    for (const name of names) {
      expect(appended[name].dims).toEqual([8, 8])
      expect(appended[name].data).toEqual(encoded[name].data)
    }
  })
})
