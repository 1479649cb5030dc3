import { beforeAll, describe, expect, it } from 'vitest'
import type { SynthRequest } from '../../../electron/api/contract/index.ts'
import { analyzeModel, loadModelFromBytes } from '../../../native-models/onnx/index.ts'
import type { ModelAnalysis } from '../../../native-models/onnx/index.ts'
import { decodeModelProto, encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { createSession } from '../../../native-models/runtime/session.ts'
import type { FeedTensor, RuntimeSession } from '../../../native-models/runtime/session.ts'
import {
  buildFakeQuantGraph,
  findCompressionSites,
} from '../../../native-models/surgery/fake-quant/index.ts'
import type {
  BitSource,
  CompressionSite,
  FakeQuantGraph,
} from '../../../native-models/surgery/fake-quant/index.ts'
import { GraphBuilder } from '../../../native-models/surgery/graph-builder.ts'
import { synthesizeResNet } from '../../../native-models/surgery/synth.ts'

const DIMS = [2, 3, 32, 32]
const IMAGES = Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.sin(0.37 * i) * 1.5)
const RESNET18: SynthRequest = {
  depth: 18,
  numClasses: 10,
  inputSize: 32,
  cifarStem: false,
  bnFolded: false,
  opset: 17,
  seed: 5,
  batch: 'dynamic',
  externalData: false,
}

interface Model {
  bytes: Uint8Array
  analysis: ModelAnalysis
  sites: CompressionSite[]
  /** The unedited model's logits and, per site, its tensor's values. */
  logits: Float32Array
  siteValues: Map<string, Float32Array>
}

async function prepare(bnFolded: boolean): Promise<Model> {
  const bytes = encodeModelProto(synthesizeResNet({ ...RESNET18, bnFolded }))
  const analysis = analyzeModel(await loadModelFromBytes(bytes, { fileName: 'r18.onnx' }))
  const sites = findCompressionSites(analysis)
  // Taps change ORT's fusions (a tapped conv output keeps its BatchNorm unfused), so the logits
  // come from the unedited model and the site values from a tapped copy.
  const tapped = new GraphBuilder(analysis.loaded.model)
  const taps = new Map(sites.map((site) => [site.id, tapped.addOutput(site.tensor)]))
  const values = await runOnce(tapped.encode(), { input: { data: IMAGES, dims: DIMS } })
  const siteValues = new Map([...taps].map(([id, name]) => [id, values[name]]))
  const plain = await runOnce(bytes, { input: { data: IMAGES, dims: DIMS } })
  return { bytes, analysis, sites, logits: plain['logits'], siteValues }
}

async function runOnce(
  bytes: Uint8Array,
  feeds: Record<string, FeedTensor>,
): Promise<Record<string, Float32Array>> {
  const session = await createSession(bytes, { intraOpNumThreads: 1 })
  try {
    return await runWith(session, feeds)
  } finally {
    await session.release()
  }
}

async function runWith(
  session: RuntimeSession,
  feeds: Record<string, FeedTensor>,
): Promise<Record<string, Float32Array>> {
  const outputs = await session.run(feeds)
  return Object.fromEntries(Object.entries(outputs).map(([name, tensor]) => [name, tensor.data]))
}

/** Runs the spliced graph with one value for every channel of every site. */
async function runFakeQuant(
  model: Model,
  graph: FakeQuantGraph,
  channelValue: (site: CompressionSite) => number,
): Promise<Record<string, Float32Array>> {
  const feeds: Record<string, FeedTensor> = { [graph.imageInput]: { data: IMAGES, dims: DIMS } }
  for (const { site, input } of graph.sites) {
    const values = new Float32Array(site.channels).fill(channelValue(site))
    feeds[input] = { data: values, dims: [site.channels] }
  }
  return runOnce(graph.encodeSplicedInto(model.bytes), feeds)
}

function build(model: Model, bitSource: BitSource, sites = model.sites): FakeQuantGraph {
  return buildFakeQuantGraph(model.analysis, { sites, bitSource })
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number =>
  a.reduce((most, value, i) => Math.max(most, Math.abs(value - (b[i] ?? 0))), 0)

const bitsOf = (values: Float32Array): number[] => Array.from(new Uint32Array(values.buffer))

function channelMaxAbs(values: Float32Array, channels: number): number[] {
  const plane = values.length / DIMS[0] / channels
  const most = new Array<number>(channels).fill(0)
  values.forEach((value, i) => {
    const c = Math.floor(i / plane) % channels
    most[c] = Math.max(most[c] ?? 0, Math.abs(value))
  })
  return most
}

let kept: Model
let folded: Model
beforeAll(async () => {
  kept = await prepare(false)
  folded = await prepare(true)
}, 60_000)

describe('the fake-quantized ResNet18 graph', () => {
  it('gives the unedited logits bit for bit with every site of a BN-folded export off', async () => {
    const outputs = await runFakeQuant(folded, build(folded, 'levels'), () => 0)
    expect(bitsOf(outputs['logits'] ?? new Float32Array())).toEqual(bitsOf(folded.logits))
  })

  it('gives them bit for bit with the conv inputs of a BN-kept export off', async () => {
    const convInputs = kept.sites.filter((site) => site.kind === 'conv-input')
    const outputs = await runFakeQuant(kept, build(kept, 'levels', convInputs), () => 0)
    expect(bitsOf(outputs['logits'] ?? new Float32Array())).toEqual(bitsOf(kept.logits))
  })

  // A BatchNorm that reads x̂ instead of its conv's output is no longer fused into the conv by
  // ORT, so the same values are summed in another order.
  it('stays within float rounding with BatchNorm inputs off, where ORT cannot fuse Conv+BN', async () => {
    const outputs = await runFakeQuant(kept, build(kept, 'levels'), () => 0)
    expect(maxAbsDiff(outputs['logits'] ?? new Float32Array(), kept.logits)).toBeLessThan(1e-5)
  })

  it('stays within float tolerance at b = 16 and moves far more at b = 2', async () => {
    const graph = build(kept, 'levels')
    const at16 = await runFakeQuant(kept, graph, () => 2 ** 16)
    const at2 = await runFakeQuant(kept, graph, () => 2 ** 2)
    const scale = kept.logits.reduce((most, value) => Math.max(most, Math.abs(value)), 0)
    const error16 = maxAbsDiff(at16[graph.logitsOutput] ?? new Float32Array(), kept.logits)
    const error2 = maxAbsDiff(at2[graph.logitsOutput] ?? new Float32Array(), kept.logits)
    expect(error16 / scale).toBeLessThan(1e-4)
    expect(error2).toBeGreaterThan(100 * error16)
  })

  it('measures the exact max |x|, zero count and sign of each site on a negative input', async () => {
    const graph = build(folded, 'levels')
    const outputs = await runFakeQuant(folded, graph, () => -1)
    expect(bitsOf(outputs['logits'] ?? new Float32Array())).toEqual(bitsOf(folded.logits))
    for (const { site, outputs: names } of graph.sites) {
      const values = folded.siteValues.get(site.id) ?? new Float32Array()
      expect(Array.from(outputs[names.maxAbs] ?? []), site.id).toEqual(
        channelMaxAbs(values, site.channels),
      )
      const zeros = Array.from(outputs[names.zeroCount] ?? []).reduce((a, b) => a + b, 0)
      expect(zeros, site.id).toBe(values.filter((value) => value === 0).length)
      expect(
        Array.from(outputs[names.quantizedNonzeroCount] ?? []).reduce((a, b) => a + b, 0),
      ).toBe(values.length - zeros)
      expect(Array.from(outputs[names.signed] ?? []), site.id).toEqual([
        values.some((value) => value < 0) ? 1 : 0,
      ])
      expect(Array.from(outputs[names.bits] ?? [])).toEqual(new Array(site.channels).fill(0))
    }
  })

  it('skips a site that is off: x passes through and its accounting is zeros', async () => {
    const graph = build(folded, 'levels')
    const outputs = await runFakeQuant(folded, graph, () => 0)
    expect(bitsOf(outputs['logits'] ?? new Float32Array())).toEqual(bitsOf(folded.logits))
    for (const { site, outputs: names } of graph.sites) {
      expect(Array.from(outputs[names.maxAbs] ?? []), site.id).toEqual(
        new Array(site.channels).fill(0),
      )
      expect(Array.from(outputs[names.bits] ?? [])).toEqual(new Array(site.channels).fill(0))
    }
  })

  it("picks AC-GC's width per channel from the error bound and the batch's scale", async () => {
    const graph = build(kept, 'error-bound')
    const squaredError = 1e-4
    const outputs = await runFakeQuant(kept, graph, () => squaredError)
    for (const { site, outputs: names } of graph.sites) {
      const want = Array.from(outputs[names.maxAbs] ?? [], (maxAbs) => {
        const scale = Math.fround(1 / Math.fround(maxAbs + Math.fround(1e-6)))
        const f = -0.5 * Math.log2(squaredError) - Math.log2(scale) - 1
        return Math.min(Math.max(Math.floor(f), 1), 15) + 1
      })
      expect(Array.from(outputs[names.bits] ?? []), site.id).toEqual(want)
    }
  })

  it('leaves a channel exact when its error bound is 0', async () => {
    const outputs = await runFakeQuant(folded, build(folded, 'error-bound'), () => 0)
    expect(bitsOf(outputs['logits'] ?? new Float32Array())).toEqual(bitsOf(folded.logits))
  })

  it('makes only the convolutions and BatchNorms read x̂; residual Adds keep x', () => {
    const graph = build(kept, 'levels')
    const nodes = graph.model.graph?.node ?? []
    for (const site of kept.sites) {
      const readers = nodes.filter((node) => node.input?.includes(site.tensor))
      const opTypes = new Set(readers.map((node) => node.opType))
      expect(opTypes.has('Conv') || opTypes.has('BatchNormalization'), site.id).toBe(false)
      const quantizedReaders = site.kind === 'conv-input' ? site.convs : [site.batchNorm]
      for (const reader of quantizedReaders) {
        const node = nodes.find((candidate) => candidate.output?.includes(reader.output))
        expect(node?.input?.[0], site.id).toMatch(/FakeQuantGate\/quantized/)
      }
    }
    const residual = kept.sites.find((site) => site.id === 'conv-input:layer1.1.conv1')
    const adds = nodes.filter(
      (node) => node.opType === 'Add' && node.input?.includes(residual?.tensor ?? ''),
    )
    expect(adds).toHaveLength(1)
  })

  it('splices into the checkpoint bytes as the same model a full encode gives', () => {
    const graph = build(kept, 'error-bound')
    const spliced = Buffer.from(
      encodeModelProto(decodeModelProto(graph.encodeSplicedInto(kept.bytes))),
    )
    // Buffer.equals: a deep toEqual over 45 MB takes most of a minute.
    expect(spliced.equals(Buffer.from(encodeModelProto(graph.model)))).toBe(true)
  })
})
