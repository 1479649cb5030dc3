import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActivationStatsRequest, TapStatistics } from '../../../electron/api/contract/index.ts'
import { createBatchLoader, openDataset } from '../../../native-models/data/index.ts'
import type { Batch } from '../../../native-models/data/index.ts'
import { activationStatsJob } from '../../../native-models/engine/jobs/activation-stats/activation-stats.ts'
import { collectActivationStats } from '../../../native-models/engine/jobs/activation-stats/runner.ts'
import { resolveActivationTaps } from '../../../native-models/engine/jobs/shared/taps.ts'
import { summarizeModelBytes } from '../../../native-models/onnx/index.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { createSession } from '../../../native-models/runtime/index.ts'
import { buildActivationGraph } from '../../../native-models/surgery/activation-graph.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'
import { batchesOf, statsGoldenInput } from './activation-batches.ts'
import {
  expectZeroFractionsAgree,
  momentDifferences,
  readStatsGolden,
} from './activation-golden.ts'
import type { StatsGolden } from './activation-golden.ts'
import { nearZeroFraction64 } from './activation-reference.ts'
import { recordingSession } from './activation-session.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  fmnistTestImages,
  recordingContext,
} from './evaluate-job-helpers.ts'

// Both goldens: torchvision resnet18 with the synthesized file's weights, forward hooks on every
// block and the pooled features, float64 statistics (tests/reference/stats_torch_golden.py).
const FORMULA = readStatsGolden('stats-synth18-torch.json')
const FMNIST = readStatsGolden('stats-synth18-fmnist64-torch.json')
const HISTOGRAM = { bins: 16, octaves: 16, headroom: 2 }

interface WorkbenchRun {
  taps: TapStatistics[]
  /** Per tap and channel, from ORT's full activations on the same images. */
  ortNearZero: number[][]
}

/** Full activations of every default tap for these batches, as near-zero fractions. */
async function ortNearZeroFractions(
  golden: StatsGolden,
  batches: Iterable<Batch> | AsyncIterable<Batch>,
): Promise<number[][]> {
  const model = synthesizeResNet(golden.request)
  const summary = await summarizeModelBytes(encodeModelProto(model), { fileName: 'synth.onnx' })
  const graph = buildActivationGraph(model, resolveActivationTaps(summary, null))
  const withTaps = new GraphBuilder(graph.model)
  const tensors = graph.taps.map((tap) => withTaps.addOutput(tap.tensor))
  const session = await createSession(withTaps.encode(), { intraOpNumThreads: 1 })
  const recording = recordingSession(session, tensors, graph.drawsInput)
  const plan = { graph, imageInput: 'input', samplesPerBatch: 0, binning: HISTOGRAM, seed: 0 }
  try {
    await collectActivationStats(recording.session, plan, batches, 0, recordingContext())
  } finally {
    await session.release()
  }
  return tensors.map((tensor) => {
    const full = recording.recorded.map((batch) => batch.taps[tensor])
    return nearZeroFraction64({ batches: full }, golden.nearZeroBand)
  })
}

function expectMatchesGolden(run: WorkbenchRun, golden: StatsGolden, label: string): void {
  const moments = momentDifferences(run.taps, golden)
  const differing = expectZeroFractionsAgree(run.taps, golden, run.ortNearZero)
  console.info(
    `${label} vs torch hooks: mean/std/max |x|`,
    moments,
    `; zero fractions differ in ${differing} channels, by near-zero values only`,
  )
  expect(moments.scaleRelative).toBeLessThan(1e-4)
  expect(moments.elementRelativeAboveOnePercent).toBeLessThan(1e-4)
}

describe('activation statistics of a synthesized ResNet18 against PyTorch forward hooks', () => {
  const bytes = encodeModelProto(synthesizeResNet(FORMULA.request))

  it('are computed on the file the goldens were made from', () => {
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    expect(sha256, `synth output changed; regenerate the goldens: ${FORMULA.command}`).toBe(
      FORMULA.modelSha256,
    )
    expect(FMNIST.modelSha256).toBe(FORMULA.modelSha256)
  })

  it('agree within 1e-4 of each tap’s largest value on 16 formula images in batches of 6, 6 and 4', async () => {
    const [, ...imageDims] = FORMULA.input.dims
    const batches = (): Batch[] =>
      batchesOf(statsGoldenInput(FORMULA.input.dims), imageDims, [6, 6, 4])
    const summary = await summarizeModelBytes(bytes, { fileName: 'stats-synth18.onnx' })
    const graph = buildActivationGraph(
      synthesizeResNet(FORMULA.request),
      resolveActivationTaps(summary, null),
    )
    const session = await createSession(encodeModelProto(graph.model), { intraOpNumThreads: 1 })
    const plan = { graph, imageInput: 'input', samplesPerBatch: 64, binning: HISTOGRAM, seed: 1 }
    try {
      const result = await collectActivationStats(session, plan, batches(), 16, recordingContext())
      const run = { taps: result.taps, ortNearZero: await ortNearZeroFractions(FORMULA, batches()) }
      expectMatchesGolden(run, FORMULA, 'formula images')
    } finally {
      await session.release()
    }
  })

  describe('through the whole job on 64 Fashion-MNIST test images', () => {
    let folder = ''
    let modelPath = ''

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'activation-golden-'))
      modelPath = join(folder, 'stats-synth18.onnx')
      await writeFile(modelPath, bytes)
    })

    afterAll(async () => {
      await rm(folder, { recursive: true, force: true })
    })

    it('agree within 1e-4 of each tap’s largest value in batches of 24, 24 and 16', async () => {
      const dataset = fmnistTestImages(FMNIST_64_FOLDER, null)
      const request: ActivationStatsRequest = {
        kind: 'activation-stats',
        checkpointId: null,
        modelPath,
        dataset,
        preprocessing: FMNIST_PREPROCESSING,
        batchSize: 24,
        provider: 'cpu',
        taps: null,
        histogramSamplesPerBatch: 128,
        histogramBins: 32,
        seed: 3,
      }
      const job = {
        jobId: 1,
        request,
        modelPath,
        modelSha256: FMNIST.modelSha256,
        preprocessing: FMNIST_PREPROCESSING,
        dataset,
      }
      const output = await activationStatsJob(job, recordingContext())
      expect(output.payload.numImages).toBe(64)
      const opened = await openDataset(dataset)
      const loader = createBatchLoader(opened, {
        preprocessing: FMNIST_PREPROCESSING,
        batchSize: 24,
      })
      try {
        const ortNearZero = await ortNearZeroFractions(FMNIST, loader)
        expectMatchesGolden({ taps: output.payload.taps, ortNearZero }, FMNIST, 'Fashion-MNIST job')
      } finally {
        await loader.close()
      }
    })
  })
})
