import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { SynthRequest } from '../../../electron/api/contract/index.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'
import { formulaInput, maxAbs, maxAbsDiff, relativeMaxDiff } from './helpers/numbers.ts'
import { runOnce } from './helpers/run-once.ts'

// Written by tests/reference/onnx_torch_golden.py (torch 1.13 / torchvision 0.14); see its "command".
interface TorchGolden {
  command: string
  request: SynthRequest
  modelSha256: string
  input: { dims: number[]; formula: string }
  logits: number[][]
}

const golden = JSON.parse(
  readFileSync(new URL('../../reference/onnx_torch_golden.json', import.meta.url), 'utf8'),
) as TorchGolden

describe('a synthesized ResNet18 against torchvision', () => {
  const bytes = encodeModelProto(synthesizeResNet(golden.request))

  it('is still the file the golden was made from', () => {
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    expect(sha256, `synth output changed; regenerate the golden: ${golden.command}`).toBe(
      golden.modelSha256,
    )
  })

  it('gives the logits torchvision computes with the same weights, within 1e-4', async () => {
    const outputs = await runOnce(bytes, formulaInput(golden.input.dims), golden.input.dims)
    const expected = golden.logits.flat()
    const actual = outputs.logits?.data ?? new Float32Array()
    console.info(
      `torch vs ORT: max |diff| ${maxAbsDiff(actual, expected).toExponential(2)}, max |logit| ${maxAbs(expected).toPrecision(4)}`,
    )
    expect(outputs.logits?.dims).toEqual([golden.input.dims[0], golden.request.numClasses])
    expect(relativeMaxDiff(actual, expected)).toBeLessThan(1e-4)
  })
})
