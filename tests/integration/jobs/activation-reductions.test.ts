import { describe, expect, it } from 'vitest'
import type { ActivationStatsResult, SynthRequest } from '../../../electron/api/contract/index.ts'
import { binMagnitudes } from '../../../native-models/analysis/activation-stats/histogram.ts'
import { collectActivationStats } from '../../../native-models/engine/jobs/activation-stats/runner.ts'
import type { ActivationRunPlan } from '../../../native-models/engine/jobs/activation-stats/runner.ts'
import { resolveActivationTaps } from '../../../native-models/engine/jobs/shared/taps.ts'
import { summarizeModelBytes } from '../../../native-models/onnx/index.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { createSession } from '../../../native-models/runtime/index.ts'
import { buildActivationGraph } from '../../../native-models/surgery/activation-graph.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'
import { formulaInput } from '../surgery/helpers/numbers.ts'
import { batchesOf } from './activation-batches.ts'
import { channelStatistics64, maxRelativeDiff } from './activation-reference.ts'
import { recordingSession } from './activation-session.ts'
import type { RecordedBatch } from './activation-session.ts'

const IMAGE_DIMS: [number, number, number] = [3, 32, 32]
const BINNING = { bins: 32, octaves: 16, headroom: 2 }
const SAMPLES = 512

function resnet18(opset: number): SynthRequest {
  const base = { depth: 18, numClasses: 10, inputSize: 32, cifarStem: false } as const
  return { ...base, bnFolded: false, opset, seed: 11, batch: 'dynamic', externalData: false }
}

async function statsWithFullActivations(
  request: SynthRequest,
  batchSizes: readonly number[],
): Promise<{ result: ActivationStatsResult; recorded: RecordedBatch[]; tensors: string[] }> {
  const model = synthesizeResNet(request)
  const summary = await summarizeModelBytes(encodeModelProto(model), { fileName: 'synth.onnx' })
  const taps = resolveActivationTaps(summary, null)
  const graph = buildActivationGraph(model, taps)
  const withTaps = new GraphBuilder(graph.model)
  const tensors = taps.map((tap) => withTaps.addOutput(tap.tensor))
  const session = await createSession(withTaps.encode(), { intraOpNumThreads: 1 })
  const recording = recordingSession(session, tensors, graph.drawsInput)
  const plan: ActivationRunPlan = {
    graph,
    imageInput: 'input',
    samplesPerBatch: SAMPLES,
    binning: BINNING,
    seed: 7,
  }
  const context = { signal: new AbortController().signal, report: () => undefined }
  try {
    const total = batchSizes.reduce((a, b) => a + b, 0)
    const batches = batchesOf(formulaInput([total, ...IMAGE_DIMS]), IMAGE_DIMS, batchSizes)
    const result = await collectActivationStats(recording.session, plan, batches, 0, context)
    return { result, recorded: recording.recorded, tensors }
  } finally {
    await session.release()
  }
}

const CASES = [
  { opset: 13, batchSizes: [4, 4, 3] },
  { opset: 17, batchSizes: [8, 3] },
  { opset: 17, batchSizes: [11] },
  { opset: 18, batchSizes: [1, 5, 2, 3] },
]

describe('in-graph activation reductions combined with Chan’s formula', () => {
  it.each(CASES)(
    'equal float64 statistics of the full activations at opset $opset, batches $batchSizes',
    async ({ opset, batchSizes }) => {
      const { result, recorded, tensors } = await statsWithFullActivations(
        resnet18(opset),
        batchSizes,
      )
      expect(result.numImages).toBe(11)
      const worst = { mean: 0, std: 0, maxAbs: 0, zeroFraction: 0 }
      result.taps.forEach((tap, t) => {
        const full = recorded.map((batch) => batch.taps[tensors[t]])
        const expected = channelStatistics64({ batches: full })
        for (const stat of ['mean', 'std', 'maxAbs', 'zeroFraction'] as const) {
          worst[stat] = Math.max(worst[stat], maxRelativeDiff(tap[stat], expected[stat]))
        }
        expect(tap.maxAbs).toEqual(expected.maxAbs)
        expect(tap.zeroFraction).toEqual(expected.zeroFraction)
      })
      console.info(`opset ${opset}, batches ${batchSizes.join('+')}: max relative`, worst)
      expect(worst.mean).toBeLessThan(1e-5)
      expect(worst.std).toBeLessThan(1e-5)
    },
  )

  it('histograms the values at draw mod size, on edges fixed by the first batch', async () => {
    const { result, recorded, tensors } = await statsWithFullActivations(resnet18(17), [4, 4, 3])
    result.taps.forEach((tap, t) => {
      const edges = Float64Array.from(tap.histogram.edges)
      const expected = new Float64Array(edges.length - 1)
      for (const { draws, taps } of recorded) {
        const values = taps[tensors[t]].data
        const sampled = Array.from(draws, (draw) => values[Number(draw % BigInt(values.length))])
        binMagnitudes(sampled, edges).forEach((count, bin) => (expected[bin] += count))
      }
      const total = recorded.reduce((sum, { taps }) => sum + taps[tensors[t]].data.length, 0)
      expect(tap.histogram.counts).toEqual(Array.from(expected))
      expect(tap.histogram.sampledValues).toBe(SAMPLES * 3)
      expect(tap.histogram.totalValues).toBe(total)
      expect(tap.histogram.edges.at(-1)).toBeGreaterThanOrEqual(Math.max(...tap.maxAbs))
    })
  })

  it('reports each tap with its per-sample shape, blocks first and the pooled features last', async () => {
    const { result } = await statsWithFullActivations(resnet18(18), [2])
    expect(result.taps.map((tap) => [tap.key, tap.shape.join('x')])).toEqual([
      ['layer1.0', '64x8x8'],
      ['layer1.1', '64x8x8'],
      ['layer2.0', '128x4x4'],
      ['layer2.1', '128x4x4'],
      ['layer3.0', '256x2x2'],
      ['layer3.1', '256x2x2'],
      ['layer4.0', '512x1x1'],
      ['layer4.1', '512x1x1'],
      ['pooled', '512'],
    ])
  })
})
