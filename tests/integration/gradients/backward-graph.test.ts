import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, loadModelFromBytes } from '../../../native-models/onnx/load.ts'
import { analyzeModel } from '../../../native-models/onnx/model-analysis.ts'
import type { ModelAnalysis } from '../../../native-models/onnx/model-analysis.ts'
import { encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { floatAttribute, intAttribute } from '../../../native-models/surgery/attributes.ts'
import { float32Tensor, readFloat32 } from '../../../native-models/surgery/tensors.ts'
import { openGradientSession } from '../../../native-models/runtime/gradient-session.ts'
import type { GradientResult } from '../../../native-models/runtime/gradient-session.ts'
import { buildBackwardGraph } from '../../../native-models/surgery/backward/backward-graph.ts'
import type { BackwardGraphOptions } from '../../../native-models/surgery/backward/backward-graph.ts'
import { onnxCheckerUnavailableReason, runOnnxChecker } from '../surgery/helpers/onnx-checker.ts'

const FOLDER = fileURLToPath(new URL('../../fixtures/goldens/gradients/', import.meta.url))
const CASES = ['cifar', 'imagenet'].flatMap((kind) =>
  [11, 17].flatMap((opset) => ['bn', 'folded'].map((bn) => `${kind}-opset${opset}-${bn}`)),
)

interface Golden {
  model: string
  opset: number
  bnFolded: boolean
  imageDims: number[]
  images: number[]
  labels: number[]
  loss: number
  logits: number[]
  parameters: Record<string, { shape: number[]; norm: number; gradient: number[] }>
  blockOutputNorms: Record<string, number>
}

function readGolden(name: string): Golden {
  return JSON.parse(readFileSync(join(FOLDER, `${name}.json`), 'utf8')) as Golden
}

async function runBackward(
  analysis: ModelAnalysis,
  golden: Golden,
  options: BackwardGraphOptions,
): Promise<{ result: GradientResult; names: string[]; keys: string[] }> {
  const graph = buildBackwardGraph(analysis, options)
  const session = await openGradientSession(graph, { intraOpNumThreads: 1 })
  try {
    const result = await session.run(
      Float32Array.from(golden.images),
      golden.imageDims,
      golden.labels,
    )
    return {
      result,
      names: graph.parameters.map((p) => p.initializer),
      keys: graph.blockOutputs.map((b) => b.layerKey),
    }
  } finally {
    await session.release()
  }
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < a.length; i += 1) {
    dot += (a[i] ?? 0) * (b[i] ?? 0)
    aa += (a[i] ?? 0) ** 2
    bb += (b[i] ?? 0) ** 2
  }
  return dot / Math.sqrt(aa * bb)
}

const norm = (values: ArrayLike<number>): number => Math.sqrt(sumOfSquares(values))
const sumOfSquares = (values: ArrayLike<number>): number =>
  Array.from(values).reduce((sum, value) => sum + value * value, 0)

const relativeError = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want)

describe.each(CASES)('the backward graph of %s', (name) => {
  const golden = readGolden(name)
  let analysis: ModelAnalysis

  beforeAll(async () => {
    analysis = analyzeModel(await loadModel(join(FOLDER, golden.model)))
  })

  it('gives every parameter gradient with cosine ≥ 0.99999 to eval-mode PyTorch autograd', async () => {
    const { result, names } = await runBackward(analysis, golden, {
      parameterOutput: 'gradient',
      blockOutputNorms: false,
    })
    expect(names.toSorted()).toEqual(Object.keys(golden.parameters).toSorted())
    names.forEach((parameter, i) => {
      const want = golden.parameters[parameter]
      const got = result.gradients?.[i]
      expect(got?.length, parameter).toBe(want?.gradient.length)
      expect(cosine(got ?? [], want?.gradient ?? []), parameter).toBeGreaterThanOrEqual(0.99999)
    })
  })

  it('gives in-graph gradient norms, loss, logits and block norms that match PyTorch', async () => {
    const { result, names, keys } = await runBackward(analysis, golden, {
      parameterOutput: 'norm',
      blockOutputNorms: true,
    })
    names.forEach((parameter, i) => {
      const want = golden.parameters[parameter]?.norm ?? Number.NaN
      expect(relativeError(result.parameterNorms[i] ?? 0, want), parameter).toBeLessThanOrEqual(
        1e-5,
      )
    })
    expect(relativeError(result.loss, golden.loss)).toBeLessThanOrEqual(1e-5)
    const logitError = Math.max(
      ...golden.logits.map((want, i) => Math.abs((result.logits[i] ?? 0) - want)),
    )
    expect(logitError).toBeLessThanOrEqual(1e-5)
    expect(keys).toEqual(Object.keys(golden.blockOutputNorms))
    keys.forEach((key, i) => {
      const want = golden.blockOutputNorms[key] ?? Number.NaN
      expect(relativeError(result.blockNorms[i] ?? 0, want), key).toBeLessThanOrEqual(1e-5)
    })
  })
})

/** The cifar model with its Gemm rewritten as 2·x·(Wᵀ/2) + 0.5·(2b): the same logits. */
async function rescaledGemmModel(): Promise<ModelAnalysis> {
  const loaded = await loadModel(join(FOLDER, 'cifar-opset17-bn.onnx'))
  const graph = loaded.model.graph ?? {}
  const initializer = (graph.initializer ?? []).map((tensor) => {
    if (tensor.name === 'fc.bias')
      return float32Tensor(
        'fc.bias',
        tensor.dims ?? [],
        readFloat32(tensor).map((v) => 2 * v),
      )
    if (tensor.name !== 'fc.weight') return tensor
    const [classes = 0, features = 0] = tensor.dims ?? []
    const weight = readFloat32(tensor)
    const transposed = new Float32Array(weight.length)
    for (let k = 0; k < classes; k += 1)
      for (let f = 0; f < features; f += 1)
        transposed[f * classes + k] = (weight[k * features + f] ?? 0) / 2
    return float32Tensor('fc.weight', [features, classes], transposed)
  })
  const node = (graph.node ?? []).map((n) =>
    n.opType === 'Gemm'
      ? {
          ...n,
          attribute: [
            floatAttribute('alpha', 2),
            floatAttribute('beta', 0.5),
            intAttribute('transB', 0),
          ],
        }
      : n,
  )
  const model = { ...loaded.model, graph: { ...graph, initializer, node } }
  return analyzeModel(
    await loadModelFromBytes(encodeModelProto(model), { fileName: 'rescaled.onnx' }),
  )
}

describe('a Gemm with alpha, beta and an untransposed weight', () => {
  it('gives ∂W = 2·(∂W_torch)ᵀ and ∂b = ∂b_torch/2, the chain rule through the rescaling', async () => {
    const golden = readGolden('cifar-opset17-bn')
    const { result, names } = await runBackward(await rescaledGemmModel(), golden, {
      parameterOutput: 'gradient',
      blockOutputNorms: false,
    })
    const logitError = Math.max(
      ...golden.logits.map((want, i) => Math.abs((result.logits[i] ?? 0) - want)),
    )
    expect(logitError).toBeLessThanOrEqual(1e-5)
    const weight = golden.parameters['fc.weight']
    const [classes = 0, features = 0] = weight?.shape ?? []
    const expectedWeight = new Float64Array(classes * features)
    for (let k = 0; k < classes; k += 1)
      for (let f = 0; f < features; f += 1)
        expectedWeight[f * classes + k] = 2 * (weight?.gradient[k * features + f] ?? 0)
    const expectedBias = (golden.parameters['fc.bias']?.gradient ?? []).map((g) => g / 2)
    const gotWeight = result.gradients?.[names.indexOf('fc.weight')] ?? new Float32Array()
    const gotBias = result.gradients?.[names.indexOf('fc.bias')] ?? new Float32Array()
    expect(cosine(gotWeight, expectedWeight)).toBeGreaterThanOrEqual(0.99999)
    expect(relativeError(norm(gotWeight), norm(expectedWeight))).toBeLessThanOrEqual(1e-5)
    expect(cosine(gotBias, expectedBias)).toBeGreaterThanOrEqual(0.99999)
    expect(relativeError(norm(gotBias), norm(expectedBias))).toBeLessThanOrEqual(1e-5)
  })
})

describe('backward graph structure', () => {
  it('says whether BatchNorm was folded and how many MaxPool scatters it needs', async () => {
    const graphs = await Promise.all(
      ['imagenet-opset11-bn', 'cifar-opset17-folded'].map(async (name) =>
        buildBackwardGraph(analyzeModel(await loadModel(join(FOLDER, `${name}.onnx`))), {
          parameterOutput: 'norm',
          blockOutputNorms: false,
        }),
      ),
    )
    expect(graphs.map((g) => [g.bnFolded, g.scatterOps])).toEqual([
      [false, 1],
      [true, 0],
    ])
    expect(graphs[0]?.upgrades.map((u) => [u.from, u.to, u.reason])).toEqual([
      [11, 16, 'ScatterElements(reduction=add)'],
    ])
    expect(graphs[1]?.upgrades).toEqual([])
  })

  it('names the node and op it cannot differentiate', async () => {
    const loaded = await loadModel(join(FOLDER, 'cifar-opset17-bn.onnx'))
    const nodes = (loaded.model.graph?.node ?? []).map((node) =>
      node.name === '/layer1.0/relu/Relu'
        ? { ...node, opType: 'Dropout', name: '/layer1.0/drop/Dropout' }
        : node,
    )
    const edited = { ...loaded.model, graph: { ...loaded.model.graph, node: nodes } }
    const analysis = analyzeModel(
      await loadModelFromBytes(encodeModelProto(edited), { fileName: 'edited.onnx' }),
    )
    expect(() =>
      buildBackwardGraph(analysis, { parameterOutput: 'norm', blockOutputNorms: true }),
    ).toThrow(
      /^Gradients are not available for edited\.onnx: node '\/layer1\.0\/drop\/Dropout' is a Dropout, which the backward graph does not support \(supported: Conv, BatchNormalization, .*\)\.$/,
    )
  })
})

const checkerUnavailable = onnxCheckerUnavailableReason()
if (checkerUnavailable !== null) console.warn(`onnx checker test skipped: ${checkerUnavailable}`)

describe.skipIf(checkerUnavailable !== null)('the ONNX checker', () => {
  let folder: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'backward-check-'))
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('accepts every emitted backward graph, with inferred scalar norms', async () => {
    const paths = await Promise.all(
      CASES.map(async (name) => {
        const analysis = analyzeModel(await loadModel(join(FOLDER, `${name}.onnx`)))
        const graph = buildBackwardGraph(analysis, {
          parameterOutput: 'norm',
          blockOutputNorms: true,
        })
        const path = join(folder, `${name}.backward.onnx`)
        await writeFile(path, graph.model)
        return path
      }),
    )
    const results = runOnnxChecker(paths)
    for (const path of paths) {
      const result = results.get(path)
      expect(result?.status, `${path}: ${result?.reason ?? ''}`).toBe('ok')
    }
  })
})
