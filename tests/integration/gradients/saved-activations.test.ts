import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadModel, loadModelFromBytes } from '../../../native-models/onnx/load.ts'
import { analyzeModel } from '../../../native-models/onnx/model-analysis.ts'
import type { ModelAnalysis } from '../../../native-models/onnx/model-analysis.ts'
import { DataType, decodeModelProto, encodeModelProto } from '../../../native-models/onnx/proto.ts'
import { buildBackwardGraph } from '../../../native-models/surgery/backward/backward-graph.ts'
import { emitSingle } from '../../../native-models/surgery/ops.ts'
import { SurgeryError } from '../../../native-models/surgery/errors.ts'
import { tensorTypeProto } from '../../../native-models/surgery/value-types.ts'
import {
  affineSubstitutes,
  analyzeCase,
  cosine,
  EXTENSION_CASES,
  GOLDENS,
  l2,
  readCase,
  relativeError,
  runCase,
} from './helpers/extension-goldens.ts'
import type { Case, SavedActivations } from './helpers/extension-goldens.ts'

function identitySubstitutes(tensors: readonly string[]): SavedActivations {
  return (builder) =>
    new Map(tensors.map((x) => [x, emitSingle(builder, { opType: 'Identity', inputs: [x] })]))
}

const SCENARIOS = EXTENSION_CASES.flatMap((name) =>
  Object.keys(readCase(name).extensions.substitutions).map((scenario) => ({ name, scenario })),
)

function expectSubstitutedGradients(
  testCase: Case,
  scenario: string,
  names: readonly string[],
  gradients: readonly ArrayLike<number>[],
): void {
  const want = testCase.extensions.substitutions[scenario]?.parameters ?? {}
  expect(names.toSorted()).toEqual(Object.keys(want).toSorted())
  names.forEach((parameter, i) => {
    const got = gradients[i] ?? []
    const golden = want[parameter]
    expect(cosine(got, golden?.gradient ?? []), parameter).toBeGreaterThanOrEqual(1 - 1e-5)
    expect(relativeError(l2(got), golden?.norm ?? Number.NaN), parameter).toBeLessThanOrEqual(1e-5)
  })
}

describe.each(SCENARIOS)(
  'the backward graph of $name reading substitutes of $scenario',
  ({ name, scenario }) => {
    const testCase = readCase(name)
    const { substituted } = testCase.extensions.substitutions[scenario] ?? { substituted: [] }
    let analysis: ModelAnalysis

    beforeAll(async () => {
      analysis = await analyzeCase(testCase)
    })

    it('gives the parameter gradients PyTorch gives when its backward reads them, the forward exact', async () => {
      const { graph, result } = await runCase(analysis, testCase, {
        parameterOutput: 'gradient',
        blockOutputNorms: false,
        savedActivations: affineSubstitutes(testCase, substituted),
      })
      const names = graph.parameters.map((p) => p.initializer)
      expectSubstitutedGradients(testCase, scenario, names, result.gradients ?? [])
      expect(relativeError(result.loss, testCase.base.loss)).toBeLessThanOrEqual(1e-5)
      const logitError = Math.max(
        ...testCase.base.logits.map((want, i) => Math.abs((result.logits[i] ?? 0) - want)),
      )
      expect(logitError).toBeLessThanOrEqual(1e-5)
    })

    it("gives PyTorch's gradient norms in a 'norm' graph", async () => {
      const { graph, result } = await runCase(analysis, testCase, {
        parameterOutput: 'norm',
        blockOutputNorms: false,
        savedActivations: affineSubstitutes(testCase, substituted),
      })
      const want = testCase.extensions.substitutions[scenario]?.parameters ?? {}
      graph.parameters.forEach(({ initializer }, i) => {
        const error = relativeError(result.parameterNorms[i] ?? 0, want[initializer]?.norm ?? 0)
        expect(error, initializer).toBeLessThanOrEqual(1e-5)
      })
    })
  },
)

/** The model with every BatchNorm input also a graph output, so no Conv runs fused with its BN. */
async function unfusedModel(testCase: Case): Promise<ModelAnalysis> {
  const loaded = await loadModel(join(GOLDENS, testCase.base.model))
  const graph = loaded.model.graph ?? {}
  const batchNormInputs = (graph.node ?? [])
    .filter((node) => node.opType === 'BatchNormalization')
    .map((node) => node.input?.[0] ?? '')
  const output = [
    ...(graph.output ?? []),
    ...batchNormInputs.map((name) => ({ name, type: tensorTypeProto(DataType.FLOAT) })),
  ]
  const edited = { ...loaded.model, graph: { ...graph, output } }
  return analyzeModel(
    await loadModelFromBytes(encodeModelProto(edited), { fileName: 'unfused.onnx' }),
  )
}

describe('a BatchNorm whose input has another reader', () => {
  it('reads its saved input for ∂γ in the BatchNorm rule of its own', async () => {
    const testCase = readCase('cifar-opset17-bn')
    const scenario = 'convAndBatchNormInputs'
    const { substituted } = testCase.extensions.substitutions[scenario] ?? { substituted: [] }
    const { graph, result } = await runCase(await unfusedModel(testCase), testCase, {
      parameterOutput: 'gradient',
      blockOutputNorms: false,
      savedActivations: affineSubstitutes(testCase, substituted),
    })
    const nodeNames = new Set(decodeModelProto(graph.model).graph?.node?.map((n) => n.name))
    expect(nodeNames).toContain('/layer1.0/bn1/BatchNormalization/Backward/InputGradient')
    expect(nodeNames).not.toContain('/layer1.0/conv1/Conv/Backward/FoldedWeight')
    const names = graph.parameters.map((p) => p.initializer)
    expectSubstitutedGradients(testCase, scenario, names, result.gradients ?? [])
  })
})

describe.each(EXTENSION_CASES)('identity substitutes in %s', (name) => {
  // Equal up to float32 rounding only: a Conv whose output the backward pass reads (through the
  // Identity) no longer runs fused with its BatchNorm in ORT's forward pass.
  it('give the outputs of the graph without substitutes, to float32 rounding', async () => {
    const testCase = readCase(name)
    const analysis = await analyzeCase(testCase)
    const every = Object.values(testCase.extensions.substitutions).flatMap((s) => s.substituted)
    const options = { parameterOutput: 'gradient', blockOutputNorms: true } as const
    const exact = await runCase(analysis, testCase, options)
    const identity = await runCase(analysis, testCase, {
      ...options,
      savedActivations: identitySubstitutes([...new Set(every)]),
    })
    expect(relativeError(identity.result.loss, exact.result.loss)).toBeLessThanOrEqual(1e-6)
    identity.result.logits.forEach((logit, i) => {
      expect(Math.abs(logit - (exact.result.logits[i] ?? Number.NaN))).toBeLessThanOrEqual(1e-6)
    })
    identity.result.blockNorms.forEach((norm, i) => {
      const error = relativeError(norm, exact.result.blockNorms[i] ?? Number.NaN)
      expect(error, `block ${i}`).toBeLessThanOrEqual(1e-6)
    })
    exact.graph.parameters.forEach(({ initializer }, i) => {
      const want = exact.result.gradients?.[i] ?? []
      const got = identity.result.gradients?.[i] ?? []
      expect(cosine(got, want), initializer).toBeGreaterThanOrEqual(1 - 1e-7)
      expect(relativeError(l2(got), l2(want)), initializer).toBeLessThanOrEqual(1e-6)
    })
  })
})

describe('the substitutes of the goldens', () => {
  it('move every BatchNorm scale gradient far beyond the tolerance, so a rule ignoring them fails', () => {
    const testCase = readCase('cifar-opset17-bn')
    const substituted = testCase.extensions.substitutions.batchNormInputs?.parameters ?? {}
    const scales = Object.keys(testCase.extensions.fullGradients).filter((p) => p.includes('bn'))
    expect(scales.length).toBeGreaterThan(0)
    for (const scale of scales) {
      const exact = testCase.base.parameters[scale]?.norm ?? Number.NaN
      const change = relativeError(substituted[scale]?.norm ?? Number.NaN, exact)
      expect(change, scale).toBeGreaterThan(100 * 1e-5)
    }
  })
})

describe('the substitutes it refuses', () => {
  let analysis: ModelAnalysis
  beforeAll(async () => {
    analysis = await analyzeCase(readCase('cifar-opset17-bn'))
  })
  const errorOf = (savedActivations: SavedActivations): SurgeryError | undefined => {
    try {
      buildBackwardGraph(analysis, {
        parameterOutput: 'norm',
        blockOutputNorms: false,
        savedActivations,
      })
    } catch (error) {
      if (error instanceof SurgeryError) return error
      throw error
    }
    return undefined
  }

  it('refuses a substitute for a tensor that is not a forward activation', () => {
    const error = errorOf(() => new Map([['fc.weight', 'input']]))
    expect(error?.code).toBe('INVALID_ARGUMENT')
    expect(error?.message).toBe(
      "'fc.weight' is not a forward activation, so the backward pass cannot read a substitute for it.",
    )
  })

  it('refuses a substitute that is not a tensor of the graph', () => {
    const error = errorOf(() => new Map([['/relu/Relu_output_0', 'missing']]))
    expect(error?.code).toBe('INVALID_ARGUMENT')
    expect(error?.message).toBe(
      "The substitute 'missing' for '/relu/Relu_output_0' is not a tensor of the graph.",
    )
  })
})
