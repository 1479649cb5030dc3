import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelAnalysis } from '../../../native-models/onnx/model-analysis.ts'
import { buildBackwardGraph } from '../../../native-models/surgery/backward/backward-graph.ts'
import type { BackwardGraphOptions } from '../../../native-models/surgery/backward/backward-graph.ts'
import { SurgeryError } from '../../../native-models/surgery/errors.ts'
import { onnxCheckerUnavailableReason, runOnnxChecker } from '../surgery/helpers/onnx-checker.ts'
import {
  affineSubstitutes,
  analyzeCase,
  cosine,
  EXTENSION_CASES,
  l2,
  readCase,
  relativeError,
  runCase,
} from './helpers/extension-goldens.ts'

const NORMS = { parameterOutput: 'norm', blockOutputNorms: false } as const

/** Relative error, with both sides zero counting as equal (a channel no gradient reaches). */
const relativeOrZero = (got: number, want: number): number =>
  want === 0 ? Math.abs(got) : relativeError(got, want)

describe.each(EXTENSION_CASES)('the backward graph of %s', (name) => {
  const testCase = readCase(name)
  const { channelStatistics, fullGradients } = testCase.extensions
  let analysis: ModelAnalysis

  beforeAll(async () => {
    analysis = await analyzeCase(testCase)
  })

  it('gives per-channel Σg², nonzero counts and max g² of PyTorch at every requested tensor', async () => {
    const tensors = Object.keys(channelStatistics)
    const { graph, result } = await runCase(analysis, testCase, {
      ...NORMS,
      channelGradientStatistics: tensors,
    })
    expect(graph.channelStatistics.map((s) => [s.tensor, s.channels])).toEqual(
      tensors.map((tensor) => [tensor, channelStatistics[tensor]?.sumOfSquares.length]),
    )
    expect(result.channelStatistics.map((s) => s.tensor)).toEqual(tensors)
    for (const got of result.channelStatistics) {
      const want = channelStatistics[got.tensor]
      expect(Array.from(got.nonzeroCount), got.tensor).toEqual(want?.nonzeroCount)
      got.sumOfSquares.forEach((value, c) => {
        const error = relativeOrZero(value, want?.sumOfSquares[c] ?? Number.NaN)
        expect(error, `${got.tensor} Σg² of channel ${c}`).toBeLessThanOrEqual(1e-5)
      })
      got.maxSquare.forEach((value, c) => {
        const error = relativeOrZero(value, want?.maxSquare[c] ?? Number.NaN)
        expect(error, `${got.tensor} max g² of channel ${c}`).toBeLessThanOrEqual(1e-5)
      })
    }
  })

  it("outputs the full gradients asked for in a 'norm' graph, in the parameter's element order", async () => {
    const requested = new Set(Object.keys(fullGradients))
    const { graph, result } = await runCase(analysis, testCase, {
      ...NORMS,
      fullGradients: requested,
    })
    expect(
      graph.parameters.filter((p) => p.gradientOutput !== null).map((p) => p.initializer),
    ).toEqual(graph.parameters.map((p) => p.initializer).filter((p) => requested.has(p)))
    expect([...result.fullGradients.keys()].toSorted()).toEqual([...requested].toSorted())
    for (const [parameter, want] of Object.entries(fullGradients)) {
      const got = result.fullGradients.get(parameter) ?? new Float32Array()
      expect(got.length, parameter).toBe(want.gradient.length)
      expect(cosine(got, want.gradient), parameter).toBeGreaterThanOrEqual(1 - 1e-5)
      expect(relativeError(l2(got), l2(want.gradient)), parameter).toBeLessThanOrEqual(1e-5)
    }
    graph.parameters.forEach(({ initializer }, i) => {
      const want = testCase.base.parameters[initializer]?.norm ?? Number.NaN
      const error = relativeError(result.parameterNorms[i] ?? 0, want)
      expect(error, initializer).toBeLessThanOrEqual(1e-5)
    })
  })
})

function surgeryErrorOf(build: () => unknown): SurgeryError {
  try {
    build()
  } catch (error) {
    if (error instanceof SurgeryError) return error
    throw error
  }
  throw new Error('The graph was built.')
}

describe('the backward graph options it refuses', () => {
  const testCase = readCase('cifar-opset17-bn')
  let analysis: ModelAnalysis
  const build = (options: Partial<BackwardGraphOptions>) => () =>
    buildBackwardGraph(analysis, { ...NORMS, ...options })

  beforeAll(async () => {
    analysis = await analyzeCase(testCase)
  })

  it('names a Conv output that runs backward fused with its BatchNorm and says what to ask for', () => {
    const error = surgeryErrorOf(
      build({ channelGradientStatistics: ['/layer1.0/conv1/Conv_output_0'] }),
    )
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      "The backward graph computes no gradient for '/layer1.0/conv1/Conv_output_0': a Conv output read only by a BatchNormalization runs backward fused with it, so ask for the BatchNormalization output.",
    )
  })

  it('names a tensor the model does not have, and the image, which takes no gradient', () => {
    expect(surgeryErrorOf(build({ channelGradientStatistics: ['nope'] })).message).toBe(
      "'nope' is not a tensor of the model.",
    )
    expect(surgeryErrorOf(build({ channelGradientStatistics: ['input'] })).message).toBe(
      "The backward graph computes no gradient for 'input'.",
    )
  })

  it('refuses a full gradient of a tensor that is not a differentiated parameter', () => {
    const error = surgeryErrorOf(build({ fullGradients: new Set(['bn1.running_mean']) }))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      "'bn1.running_mean' is not a parameter the backward graph differentiates, so it has no full gradient.",
    )
  })
})

const checkerUnavailable = onnxCheckerUnavailableReason()
if (checkerUnavailable !== null) console.warn(`onnx checker test skipped: ${checkerUnavailable}`)

describe.skipIf(checkerUnavailable !== null)('the ONNX checker', () => {
  let folder: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'backward-extensions-check-'))
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('accepts graphs with channel statistics, full gradients and substitutes, [C] outputs inferred', async () => {
    const graphs = await Promise.all(
      EXTENSION_CASES.map(async (name) => {
        const testCase = readCase(name)
        const { channelStatistics, fullGradients, substitutions } = testCase.extensions
        const graph = buildBackwardGraph(await analyzeCase(testCase), {
          ...NORMS,
          channelGradientStatistics: Object.keys(channelStatistics),
          fullGradients: new Set(Object.keys(fullGradients)),
          savedActivations: affineSubstitutes(
            testCase,
            Object.values(substitutions)[0]?.substituted ?? [],
          ),
        })
        const path = join(folder, `${name}.onnx`)
        await writeFile(path, graph.model)
        return { path, graph }
      }),
    )
    const results = runOnnxChecker(graphs.map((g) => g.path))
    for (const { path, graph } of graphs) {
      const result = results.get(path)
      expect(result?.status, `${path}: ${result?.reason ?? ''}`).toBe('ok')
      for (const statistics of graph.channelStatistics) {
        expect(result?.outputs?.[statistics.sumOfSquares]).toEqual([statistics.channels])
        expect(result?.outputs?.[statistics.nonzeroCount]).toEqual([statistics.channels])
        expect(result?.outputs?.[statistics.maxSquare]).toEqual([statistics.channels])
      }
    }
  })
})
