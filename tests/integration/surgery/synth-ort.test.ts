import { describe, expect, it } from 'vitest'
import type { SynthRequest } from '../../../electron/api/contract/index.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { planBlocks, RESNET_SPECS, scopeOf } from '../../../native-models/surgery/resnet-spec.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'
import { allFinite, formulaInput, maxAbs, relativeMaxDiff } from './helpers/numbers.ts'
import { runOnce } from './helpers/run-once.ts'

const INPUT_DIMS = [2, 3, 32, 32] as const
const INPUT = formulaInput(INPUT_DIMS)

function request(depth: 18 | 50, opset: number, bnFolded: boolean): SynthRequest {
  const batch = 2
  return {
    depth,
    numClasses: 10,
    inputSize: 32,
    cifarStem: false,
    bnFolded,
    opset,
    seed: 11,
    batch,
    externalData: false,
  }
}

async function logitsOf(synth: SynthRequest): Promise<Float32Array> {
  const outputs = await runOnce(encodeModelProto(synthesizeResNet(synth)), INPUT, INPUT_DIMS)
  return outputs.logits?.data ?? new Float32Array()
}

describe('synthesized ResNets in ONNX Runtime', () => {
  const cases = [18, 50].flatMap((depth) =>
    [13, 17, 18].map((opset) => [depth as 18 | 50, opset] as const),
  )
  it.each(cases)(
    'gives ResNet%i at opset %i equal logits with BN kept and folded',
    async (depth, opset) => {
      const kept = await logitsOf(request(depth, opset, false))
      const folded = await logitsOf(request(depth, opset, true))
      expect(kept).toHaveLength(20)
      expect(allFinite(kept)).toBe(true)
      const difference = relativeMaxDiff(folded, kept)
      console.info(
        `resnet${depth} opset ${opset}: max |logit| ${maxAbs(kept).toPrecision(4)}, kept vs folded ${difference.toExponential(2)} relative`,
      )
      expect(difference).toBeLessThan(1e-4)
    },
  )

  it('keeps every block output of a synthesized ResNet50 finite', async () => {
    const builder = new GraphBuilder(synthesizeResNet(request(50, 17, false)))
    const blocks = planBlocks(RESNET_SPECS[50]).map(
      (block) => `${scopeOf(block.module)}/relu_2/Relu_output_0`,
    )
    const taps = blocks.map((tensor) => builder.addOutput(tensor))
    const outputs = await runOnce(builder.encode(), INPUT, INPUT_DIMS)
    const magnitudes = taps.map((tap) => maxAbs(outputs[tap]?.data ?? [Number.NaN]))
    console.info(
      `resnet50 block output max |x|: ${magnitudes.map((m) => m.toPrecision(3)).join(', ')}`,
    )
    expect(taps.every((tap) => allFinite(outputs[tap]?.data ?? [Number.NaN]))).toBe(true)
    expect(outputs[blocks[0] ?? '']?.dims).toEqual([2, 256, 8, 8])
    expect(outputs[blocks.at(-1) ?? '']?.dims).toEqual([2, 2048, 1, 1])
  })
})
