import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { SynthRequest, TapStatistics } from '../../../electron/api/contract.ts'
import { collectActivationStats } from '../../../native-models/engine/jobs/activation-runner.ts'
import { resolveActivationTaps } from '../../../native-models/engine/jobs/activation-taps.ts'
import { summarizeModelBytes } from '../../../native-models/onnx/index.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { createSession } from '../../../native-models/runtime/index.ts'
import { buildActivationGraph } from '../../../native-models/surgery/activation-graph.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'
import { batchesOf, statsGoldenInput } from './activation-batches.ts'
import { maxRelativeDiff, nearZeroFraction64, scaleRelativeDiff } from './activation-reference.ts'
import { recordingSession } from './activation-session.ts'

// Written by tests/reference/stats_torch_golden.py (torch 1.13 / torchvision 0.14); see "command".
type GoldenTap = Pick<TapStatistics, 'key' | 'shape' | 'mean' | 'std' | 'maxAbs' | 'zeroFraction'>
interface StatsGolden {
  command: string
  request: SynthRequest
  modelSha256: string
  input: { dims: [number, number, number, number]; formula: string }
  nearZeroBand: number
  taps: (GoldenTap & { nearZeroFraction: number[] })[]
}

const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/goldens/stats-synth18-torch.json', import.meta.url), 'utf8'),
) as StatsGolden

const MOMENTS = ['mean', 'std', 'maxAbs'] as const
/** Uneven batches with a partial last one, so Chan's combination is part of what is compared. */
const BATCH_SIZES = [6, 6, 4]

interface WorkbenchRun {
  taps: TapStatistics[]
  /** Per tap and channel, from ORT's full activations (fetched for this test only). */
  nearZeroFraction: number[][]
}

async function workbenchRun(bytes: Uint8Array): Promise<WorkbenchRun> {
  const model = synthesizeResNet(golden.request)
  const summary = await summarizeModelBytes(bytes, { fileName: 'stats-synth18.onnx' })
  const graph = buildActivationGraph(model, resolveActivationTaps(summary, null))
  const withTaps = new GraphBuilder(graph.model)
  const tensors = graph.taps.map((tap) => withTaps.addOutput(tap.tensor))
  const session = await createSession(withTaps.encode(), { intraOpNumThreads: 1 })
  const recording = recordingSession(session, tensors, graph.drawsInput)
  const [, ...imageDims] = golden.input.dims
  const batches = batchesOf(statsGoldenInput(golden.input.dims), imageDims, BATCH_SIZES)
  const plan = {
    graph,
    imageInput: summary.inputs[0]?.name ?? 'input',
    samplesPerBatch: 64,
    binning: { bins: 16, octaves: 16, headroom: 2 },
    seed: 1,
  }
  const context = { signal: new AbortController().signal, report: () => undefined }
  try {
    const result = await collectActivationStats(recording.session, plan, batches, 3, context)
    const nearZeroFraction = tensors.map((tensor) => {
      const full = recording.recorded.map((batch) => batch.taps[tensor])
      return nearZeroFraction64({ batches: full }, golden.nearZeroBand)
    })
    return { taps: result.taps, nearZeroFraction }
  } finally {
    await session.release()
  }
}

describe('activation statistics of a synthesized ResNet18 against PyTorch forward hooks', () => {
  const bytes = encodeModelProto(synthesizeResNet(golden.request))
  let run: Promise<WorkbenchRun> | undefined
  const workbench = (): Promise<WorkbenchRun> => (run ??= workbenchRun(bytes))

  it('are computed on the file the golden was made from', () => {
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    expect(sha256, `synth output changed; regenerate the golden: ${golden.command}`).toBe(
      golden.modelSha256,
    )
  })

  it('equal per-channel mean, std and max |x| within 1e-4 of each tap’s largest value', async () => {
    const { taps } = await workbench()
    expect(taps.map((tap) => [tap.key, tap.shape])).toEqual(
      golden.taps.map((t) => [t.key, t.shape]),
    )
    const worst = { scaleRelative: 0, elementRelative: 0 }
    taps.forEach((tap, t) => {
      for (const stat of MOMENTS) {
        const expected = golden.taps[t][stat]
        worst.scaleRelative = Math.max(worst.scaleRelative, scaleRelativeDiff(tap[stat], expected))
        worst.elementRelative = Math.max(
          worst.elementRelative,
          maxRelativeDiff(tap[stat], expected),
        )
      }
    })
    console.info('workbench vs torch hooks, mean/std/max |x|:', worst)
    expect(worst.scaleRelative).toBeLessThan(1e-4)
  })

  it('count the same zeros except values within float32 noise of 0 in either runtime', async () => {
    const { taps, nearZeroFraction } = await workbench()
    let differing = 0
    taps.forEach((tap, t) => {
      tap.zeroFraction.forEach((fraction, c) => {
        const expected = golden.taps[t].zeroFraction[c]
        const ambiguous = Math.max(golden.taps[t].nearZeroFraction[c], nearZeroFraction[t][c])
        if (fraction !== expected) differing += 1
        expect(Math.abs(fraction - expected), `${tap.key} channel ${c}`).toBeLessThanOrEqual(
          ambiguous + 1e-12,
        )
      })
    })
    console.info(`zero fractions: ${differing} channels differ, each by near-zero values only`)
  })
})
