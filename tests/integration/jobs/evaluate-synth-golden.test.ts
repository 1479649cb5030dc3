import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SynthRequest } from '../../../electron/api/contract/index.ts'
import { evaluateOutputs } from '../../../native-models/analysis/evaluate/evaluation.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import { expectMetricsClose } from '../../unit/analysis/helpers/expect-metrics.ts'
import {
  FMNIST_CLASSES,
  readTorchLogitsGolden,
} from '../../unit/analysis/helpers/torch-logits-golden.ts'
import { evaluateJobFor, evaluateObservingLogits } from './evaluate-job-helpers.ts'
import type { ObservedEvaluation } from './evaluate-job-helpers.ts'

// torchvision logits of the model `synth --depth 18 --classes 10 --size 32 --seed 3` writes, on the
// committed first 64 Fashion-MNIST test images (tests/reference/eval_torch_golden.py).
const golden = readTorchLogitsGolden('eval-synth18-logits.json')
const SYNTH: SynthRequest = {
  depth: 18,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded: false,
  opset: 17,
  seed: 3,
  batch: 'dynamic',
  externalData: false,
}
/** 64 = 24 + 24 + 16: uneven batches with a partial last one. */
const BATCH_SIZE = 24

function maxAbsDiff(actual: Float32Array, expected: ArrayLike<number>): number {
  let max = 0
  for (let i = 0; i < actual.length; i += 1) max = Math.max(max, Math.abs(actual[i] - expected[i]))
  return max
}

describe('the evaluation job on a synthesized ResNet18 against PyTorch', () => {
  let folder = ''
  let modelPath = ''
  let run: ObservedEvaluation

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'evaluate-synth-'))
    modelPath = join(folder, 'eval-synth18.onnx')
    await writeSynthesizedResNet(modelPath, SYNTH)
    run = await evaluateObservingLogits(evaluateJobFor(modelPath, { batchSize: BATCH_SIZE }))
  })
  afterAll(() => rm(folder, { recursive: true, force: true }))

  it('runs the very model file the golden was made from', async () => {
    const sha256 = createHash('sha256')
      .update(await readFile(modelPath))
      .digest('hex')
    expect(sha256, `synth output changed; regenerate: ${golden.command}`).toBe(
      golden.models['eval-synth18.onnx'],
    )
  })

  it("gives PyTorch's logits on the 64 fixture images within 1e-4", () => {
    const vsFloat32 = maxAbsDiff(run.logits, golden.logits32)
    const vsFloat64 = maxAbsDiff(run.logits, golden.logits64)
    console.info(
      `synth ResNet18, 64 images: max |ORT − torch f32| ${vsFloat32.toExponential(2)}, |ORT − torch f64| ${vsFloat64.toExponential(2)}`,
    )
    expect(run.logits).toHaveLength(64 * 10)
    expect(vsFloat32).toBeLessThan(1e-4)
    expect(vsFloat64).toBeLessThan(1e-4)
  })

  it('reports exactly the metrics of the logits it produced', () => {
    const direct = evaluateOutputs(run.logits, Int32Array.from(golden.labels), {
      classes: FMNIST_CLASSES,
      numOutputs: 10,
      hasTrailingSoftmax: false,
      perImageCount: golden.labels.length,
    })
    expect(run.output.payload).toEqual(direct)
  })

  it("agrees with NumPy's metrics on PyTorch's logits: same counts, NLL and ECE within 1e-5", () => {
    expectMetricsClose(run.output.payload, golden.numpy, 1e-5)
  })

  it('reports progress in images under the evaluating stage, ending at 64 of 64', () => {
    const reports = run.context.reports
    expect(reports.map((r) => r.done)).toEqual([0, 24, 48, 64])
    expect(reports.every((r) => r.stage === 'evaluating' && r.total === 64)).toBe(true)
  })

  it('returns the dataset fingerprint, batch size and the CPU provider report', () => {
    expect(run.output.datasetFingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(run.output.batchSize).toBe(BATCH_SIZE)
    expect(run.output.providers).toMatchObject({ requested: 'cpu', fallbackReason: null })
    expect(run.output.providers.attached).toContain('CPUExecutionProvider')
    expect(run.output.providers.nodePlacement['CPUExecutionProvider']).toBeGreaterThan(0)
    expect(run.output.payload.classes).toEqual(FMNIST_CLASSES)
  })
})
