import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveActivationTaps } from '../../../native-models/engine/jobs/shared/taps.ts'
import { summarizeModelBytes } from '../../../native-models/onnx/index.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { buildActivationGraph } from '../../../native-models/surgery/activation-graph.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'
import { onnxCheckerUnavailableReason, runOnnxChecker } from '../surgery/helpers/onnx-checker.ts'
import type { CheckResult } from '../surgery/helpers/onnx-checker.ts'

// T5: every emitted graph passes Debian's onnx 1.12 checker + strict shape inference (opsets ≤ 17).
const unavailable = onnxCheckerUnavailableReason()
const OPSETS = [11, 13, 17]

describe.skipIf(unavailable !== null)(
  `activation statistics graphs pass onnx.checker${unavailable === null ? '' : ` (skipped: ${unavailable})`}`,
  () => {
    let folder = ''
    let results = new Map<string, CheckResult>()

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'activation-checker-'))
      const paths: string[] = []
      for (const opset of OPSETS) {
        const request = { depth: 18, numClasses: 10, inputSize: 32, cifarStem: false } as const
        const model = synthesizeResNet({
          ...request,
          bnFolded: opset === 13,
          opset,
          seed: 4,
          batch: 'dynamic',
          externalData: false,
        })
        const summary = await summarizeModelBytes(encodeModelProto(model), { fileName: 'm.onnx' })
        const graph = buildActivationGraph(model, resolveActivationTaps(summary, null))
        const path = join(folder, `stats-opset-${opset}.onnx`)
        await writeFile(path, encodeModelProto(graph.model))
        paths.push(path)
      }
      results = runOnnxChecker(paths)
    }, 300_000)

    afterAll(async () => {
      await rm(folder, { recursive: true, force: true })
    })

    it.each(OPSETS)('accepts the ResNet18 statistics graph at opset %i', (opset) => {
      const result = results.get(join(folder, `stats-opset-${opset}.onnx`))
      expect(result?.reason ?? '').toBe('')
      expect(result?.status).toBe('ok')
    })

    it('infers [C] for every per-channel output and the draws length for the samples', () => {
      const outputs = results.get(join(folder, 'stats-opset-17.onnx'))?.outputs ?? {}
      const layer1 = Object.entries(outputs).filter(([name]) =>
        name.startsWith('/layer1/layer1.0/'),
      )
      expect(layer1.map(([, shape]) => shape)).toEqual([
        [4],
        [1, 64, 1, 1],
        [64],
        [64],
        [64],
        [64],
        ['activation_samples'],
      ])
    })
  },
)
