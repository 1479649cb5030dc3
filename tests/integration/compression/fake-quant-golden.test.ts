import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DataType } from '../../../native-models/onnx/proto.ts'
import type { ModelProto } from '../../../native-models/onnx/proto.ts'
import { createSession } from '../../../native-models/runtime/session.ts'
import type { OutputTensor } from '../../../native-models/runtime/session.ts'
import { QuantizerConstants } from '../../../native-models/surgery/fake-quant/constants.ts'
import type { BitSource } from '../../../native-models/surgery/fake-quant/levels.ts'
import { quantizedCopies } from '../../../native-models/surgery/fake-quant/quantized-copies.ts'
import { emitQuantizer } from '../../../native-models/surgery/fake-quant/quantizer.ts'
import type { QuantizerTensors } from '../../../native-models/surgery/fake-quant/quantizer.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { tensorTypeProto } from '../../../native-models/surgery/value-types.ts'

// Golden values from tests/reference/fake_quant_numpy.py (NumPy float32, the CuPy path of AC-GC's
// fixpoint.py). Float32 arrays are base64 of their little-endian bytes, so equality is bitwise.
interface Expected {
  quantized: string
  maxAbs: string
  zeroCount: number[]
  quantizedNonzeroCount: number[]
  bits: number[]
  signed: number
}

interface GoldenCase {
  input: string
  mode: BitSource
  levels?: number[]
  squaredError?: string
  expected: Expected
}

interface Golden {
  dims: number[]
  inputs: Record<string, string>
  tieCounts: Record<string, number>
  cases: GoldenCase[]
}

const golden = JSON.parse(
  readFileSync(
    new URL('../../fixtures/goldens/compression/fake-quant.json', import.meta.url),
    'utf8',
  ),
) as Golden
const [, CHANNELS = 0] = golden.dims

const float32 = (base64: string): Float32Array => {
  const bytes = Buffer.from(base64, 'base64')
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

/** The bit patterns, so a mismatch shows which element differs and -0 differs from 0. */
const bitsOf = (values: Float32Array): number[] =>
  Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length))

function oneSiteModel(opset: number): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'one_site',
      node: [{ name: 'site', opType: 'Identity', input: ['x'], output: ['site'] }],
      input: [{ name: 'x', type: tensorTypeProto(DataType.FLOAT, golden.dims) }],
      output: [],
    },
  }
}

/** x → Identity → site → the quantizer, each of its tensors a graph output. */
function oneSiteGraph(
  opset: number,
  source: BitSource,
): { bytes: Uint8Array; outputs: QuantizerTensors } {
  const model = oneSiteModel(opset)
  const builder = new GraphBuilder(model)
  const input = builder.addInput('channel_input', tensorTypeProto(DataType.FLOAT, [CHANNELS]))
  const tensors = emitQuantizer(builder, new QuantizerConstants(builder), {
    tensor: 'site',
    source,
    input,
  })
  const named: Record<string, string> = { ...tensors }
  const outputs = Object.fromEntries(
    Object.entries(named).map(([key, tensor]) => [key, builder.addOutput(tensor)]),
  ) as unknown as QuantizerTensors
  return { bytes: builder.encode(), outputs }
}

async function runCases(
  opset: number,
  source: BitSource,
): Promise<{ got: Record<string, OutputTensor>; want: GoldenCase }[]> {
  const { bytes, outputs } = oneSiteGraph(opset, source)
  const session = await createSession(bytes, { intraOpNumThreads: 1 })
  try {
    const results = []
    for (const want of golden.cases.filter((c) => c.mode === source)) {
      const channelInput =
        source === 'levels'
          ? Float32Array.from(want.levels ?? [])
          : float32(want.squaredError ?? '')
      const raw = await session.run({
        x: { data: float32(golden.inputs[want.input] ?? ''), dims: golden.dims },
        channel_input: { data: channelInput, dims: [CHANNELS] },
      })
      const got = Object.fromEntries(
        Object.entries(outputs).map(([key, name]) => [key, raw[name as string]]),
      )
      results.push({ got, want })
    }
    return results
  } finally {
    await session.release()
  }
}

function expectSameAsNumpy(got: Record<string, OutputTensor>, want: GoldenCase): void {
  const label = `${want.input} ${want.mode} ${want.levels?.join(',') ?? ''}`
  const { expected } = want
  expect(bitsOf(got.quantized?.data ?? new Float32Array()), label).toEqual(
    bitsOf(float32(expected.quantized)),
  )
  expect(bitsOf(got.maxAbs?.data ?? new Float32Array()), label).toEqual(
    bitsOf(float32(expected.maxAbs)),
  )
  expect(Array.from(got.zeroCount?.data ?? []), label).toEqual(expected.zeroCount)
  expect(Array.from(got.quantizedNonzeroCount?.data ?? []), label).toEqual(
    expected.quantizedNonzeroCount,
  )
  expect(Array.from(got.bits?.data ?? []), label).toEqual(expected.bits)
  expect(Array.from(got.signed?.data ?? []), label).toEqual([expected.signed])
}

describe('the fake quantizer in ONNX Runtime', () => {
  it('is fed inputs that hold rounding ties, subnormal scales and an all-zero channel', () => {
    expect(golden.tieCounts['ties-signed']).toBeGreaterThan(100)
    expect(golden.tieCounts['ties-unsigned']).toBeGreaterThan(100)
    expect(Object.keys(golden.inputs)).toEqual(
      expect.arrayContaining(['magnitudes', 'zero-channel-unsigned', 'zero-channel-signed']),
    )
  })

  it.each([11, 13, 17, 18])(
    'equals NumPy bit for bit at every fed width (opset %i)',
    async (opset) => {
      const results = await runCases(opset, 'levels')
      expect(results).toHaveLength(golden.cases.filter((c) => c.mode === 'levels').length)
      for (const { got, want } of results) expectSameAsNumpy(got, want)
    },
    30_000,
  )

  it.each([11, 18])(
    "equals NumPy bit for bit with AC-GC's widths from an error bound (opset %i)",
    async (opset) => {
      const results = await runCases(opset, 'error-bound')
      expect(results.length).toBeGreaterThan(5)
      for (const { got, want } of results) expectSameAsNumpy(got, want)
    },
    30_000,
  )

  it('gives the same x̂ as a copy for the backward pass, the error bound held as a constant', async () => {
    const [, channels = 0, height = 0, width = 0] = golden.dims
    const site = {
      id: 'conv-input:test',
      kind: 'conv-input',
      tensor: 'site',
      blockKey: 'test',
    } as const
    const cases = golden.cases.filter((c) => c.mode === 'error-bound')
    for (const want of cases) {
      const builder = new GraphBuilder(oneSiteModel(11))
      const squaredErrors = new Map([[site.id, float32(want.squaredError ?? '')]])
      const sites = [{ ...site, channels, height, width, convs: [] }]
      const copy = quantizedCopies(builder, sites, squaredErrors).get('site') ?? ''
      builder.addOutput(copy)
      const session = await createSession(builder.encode(), { intraOpNumThreads: 1 })
      try {
        const x = { data: float32(golden.inputs[want.input] ?? ''), dims: golden.dims }
        const outputs = await session.run({ x })
        expect(bitsOf(outputs[copy]?.data ?? new Float32Array()), want.input).toEqual(
          bitsOf(float32(want.expected.quantized)),
        )
      } finally {
        await session.release()
      }
    }
  })
})
