import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SynthRequest } from '../../../electron/api/contract/index.ts'
import { SessionCache } from '../../../native-models/runtime/session-cache.ts'
import { writeModelFile } from '../../../native-models/surgery/model-file.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import { tinyClassifier } from '../../unit/surgery/helpers/tiny-classifier.ts'

const RESNET18_32: Omit<SynthRequest, 'seed'> = {
  ...{ depth: 18, numClasses: 10, inputSize: 32, cifarStem: false, bnFolded: true },
  ...{ opset: 17, batch: 'dynamic', externalData: false },
}

let folder = ''
let modelPath = ''
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'runtime-cache-'))
  modelPath = join(folder, 'resnet18.onnx')
  await writeSynthesizedResNet(modelPath, { ...RESNET18_32, seed: 1 })
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAt = performance.now()
  const value = await action()
  return { value, ms: performance.now() - startedAt }
}

describe('SessionCache on a ResNet18 file', () => {
  it('creates a session once and answers the next acquire without reading or hashing again', async () => {
    const cache = new SessionCache()
    const options = { intraOpNumThreads: 1 }
    const first = await timed(() => cache.acquire(modelPath, options))
    await first.value.release()
    const second = await timed(() => cache.acquire(modelPath, options))
    console.log(
      `ResNet18 (32², 11.7 M params): first acquire ${first.ms.toFixed(0)} ms, cached ${second.ms.toFixed(1)} ms`,
    )
    expect(second.value.session).toBe(first.value.session)
    expect(second.value.wasCached).toBe(true)
    expect(second.ms).toBeLessThan(200)
    const input = { data: new Float32Array(2 * 3 * 32 * 32), dims: [2, 3, 32, 32] }
    expect((await second.value.session.run({ input })).logits?.dims).toEqual([2, 10])
    expect(second.value.session.providerReport().nodePlacement).toEqual({
      CPUExecutionProvider: expect.any(Number) as unknown,
    })
    await second.value.release()
    await cache.clear()
  })

  it('opens a new session when the file at the same path changes', async () => {
    const cache = new SessionCache()
    const path = join(folder, 'rewritten.onnx')
    await writeModelFile(path, tinyClassifier(17))
    const before = await cache.acquire(path, { intraOpNumThreads: 1 })
    await before.release()
    await writeModelFile(path, tinyClassifier(13))
    const after = await cache.acquire(path, { intraOpNumThreads: 1 })
    expect(after.session).not.toBe(before.session)
    expect(after.wasCached).toBe(false)
    await after.release()
    await cache.clear()
  })
})
