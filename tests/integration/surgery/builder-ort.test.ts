import { describe, expect, it } from 'vitest'
import type { ModelProto } from '../../../native-models/onnx/proto.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'
import {
  legacyClassifier,
  TINY_INPUT_DIMS,
  tinyClassifier,
} from '../../unit/surgery/helpers/tiny-classifier.ts'
import { addAnalysisOutputs, histogram64 } from './helpers/analysis-graph.ts'
import {
  centeredGram64,
  channelReduce64,
  formulaInput,
  maxAbsDiff,
  relativeMaxDiff,
} from './helpers/numbers.ts'
import { runOnce } from './helpers/run-once.ts'

interface Case {
  label: string
  model: () => ModelProto
  tap: string
  dims: readonly number[]
}

const RESNET_DIMS = [4, 3, 32, 32] as const
const resnet18 = (opset: number) => (): ModelProto =>
  synthesizeResNet({
    depth: 18,
    numClasses: 10,
    inputSize: 32,
    cifarStem: false,
    bnFolded: false,
    opset,
    seed: 3,
    batch: 4,
    externalData: false,
  })

const CASES: Case[] = [
  ...[11, 13, 16, 17, 18].map((opset) => ({
    label: `the tiny classifier at opset ${opset}`,
    model: () => tinyClassifier(opset),
    tap: '/relu/Relu_output_0',
    dims: TINY_INPUT_DIMS,
  })),
  ...[17, 18].map((opset) => ({
    label: `a ResNet18 layer1.0 tap at opset ${opset}`,
    model: resnet18(opset),
    tap: '/layer1/layer1.0/relu_1/Relu_output_0',
    dims: RESNET_DIMS,
  })),
]

describe('builder-added reductions in ONNX Runtime', () => {
  it.each(CASES)('match float64 JS on $label', async ({ model, tap, dims }) => {
    const { builder, outputs } = addAnalysisOutputs(model(), tap)
    const result = await runOnce(builder.encode(), formulaInput(dims), dims)
    const tapped = result[outputs.tap]
    const batch = dims[0] ?? 1
    expect(tapped?.dims[0]).toBe(batch)
    const x = tapped?.data ?? new Float32Array()
    const gram64 = centeredGram64(x, batch)
    const gramError = relativeMaxDiff(result[outputs.gram]?.data ?? [], gram64)
    const chunkedError = relativeMaxDiff(result[outputs.chunkedGram]?.data ?? [], gram64)
    const meanError = relativeMaxDiff(
      result[outputs.channelMean]?.data ?? [],
      channelReduce64(x, tapped?.dims ?? [], 'mean'),
    )
    console.info(
      `${builder.opset}: Gram ${gramError.toExponential(2)} (in chunks ${chunkedError.toExponential(2)}), channel mean ${meanError.toExponential(2)} relative`,
    )
    expect(result[outputs.gram]?.dims).toEqual([batch, batch])
    expect(gramError).toBeLessThan(1e-5)
    expect(result[outputs.chunkedGram]?.dims).toEqual([batch, batch])
    expect(chunkedError).toBeLessThan(1e-5)
    expect(meanError).toBeLessThan(1e-5)
    expect([...(result[outputs.histogram]?.data ?? [])]).toEqual([...histogram64(x)])
    expect(result[outputs.logitsRoundTrip]?.data).toEqual(result.logits?.data)
  })

  it('takes per-sample channel maxima exactly', async () => {
    const { builder, outputs } = addAnalysisOutputs(tinyClassifier(18), '/relu/Relu_output_0')
    const result = await runOnce(builder.encode(), formulaInput(TINY_INPUT_DIMS), TINY_INPUT_DIMS)
    const x = result[outputs.tap]?.data ?? new Float32Array()
    const perSample = [0, 1].flatMap((n) => {
      const sample = x.subarray(n * 64, (n + 1) * 64)
      return [...channelReduce64(sample, [1, 4, 4, 4], 'max')]
    })
    expect([...(result[outputs.channelMaxPerSample]?.data ?? [])]).toEqual(perSample)
  })
})

describe('upgraded graphs in ONNX Runtime', () => {
  it.each([13, 16, 17, 18])(
    'compute what the opset-11 original computes after an upgrade to %i',
    async (target) => {
      const input = formulaInput(TINY_INPUT_DIMS)
      const original = await runOnce(encodeModelProto(legacyClassifier()), input, TINY_INPUT_DIMS)
      const builder = new GraphBuilder(legacyClassifier())
      builder.ensureOpset(target, 'test')
      const upgraded = await runOnce(builder.encode(), input, TINY_INPUT_DIMS)
      expect(Object.keys(upgraded).sort()).toEqual(Object.keys(original).sort())
      for (const [name, tensor] of Object.entries(original)) {
        expect(upgraded[name]?.dims, name).toEqual(tensor.dims)
        expect(maxAbsDiff(upgraded[name]?.data ?? [], tensor.data), name).toBeLessThan(1e-6)
      }
    },
  )
})
