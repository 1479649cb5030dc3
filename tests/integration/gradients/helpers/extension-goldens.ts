import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadModel } from '../../../../native-models/onnx/load.ts'
import { analyzeModel } from '../../../../native-models/onnx/model-analysis.ts'
import type { ModelAnalysis } from '../../../../native-models/onnx/model-analysis.ts'
import { openGradientSession } from '../../../../native-models/runtime/gradient-session.ts'
import type { GradientResult } from '../../../../native-models/runtime/gradient-session.ts'
import { buildBackwardGraph } from '../../../../native-models/surgery/backward/backward-graph.ts'
import type {
  BackwardGraph,
  BackwardGraphOptions,
} from '../../../../native-models/surgery/backward/backward-graph.ts'
import type { GraphBuilder } from '../../../../native-models/surgery/graph-builder.ts'
import { emitSingle } from '../../../../native-models/surgery/ops.ts'

export const GOLDENS = fileURLToPath(
  new URL('../../../fixtures/goldens/gradients/', import.meta.url),
)

/**
 * The models tests/reference/gradient_extensions_torch.py wrote goldens for, and their opset-11
 * exports: the same models (tensor names, weights, batch), so they share the opset-17 goldens
 * while their reductions take axes as attributes.
 */
export const EXTENSION_CASES = [
  'cifar-opset17-bn',
  'imagenet-opset17-folded',
  'cifar-opset11-bn',
  'imagenet-opset11-folded',
] as const

/** <name>.json (tests/reference/gradients_torch.py): the batch and the exact gradients. */
export interface BaseGolden {
  model: string
  bnFolded: boolean
  imageDims: number[]
  images: number[]
  labels: number[]
  loss: number
  logits: number[]
  parameters: Record<string, { shape: number[]; norm: number; gradient: number[] }>
}

/** <name>.extensions.json (tests/reference/gradient_extensions_torch.py). */
export interface ExtensionGolden {
  /** The backward pass reads scale·x − shift in place of each substituted activation x. */
  substitute: { scale: number; shift: number }
  loss: number
  channelStatistics: Record<
    string,
    { sumOfSquares: number[]; nonzeroCount: number[]; maxSquare: number[] }
  >
  fullGradients: Record<string, { shape: number[]; gradient: number[] }>
  substitutions: Record<
    string,
    {
      substituted: string[]
      loss: number
      parameters: Record<string, { norm: number; gradient: number[] }>
    }
  >
}

export interface Case {
  name: string
  base: BaseGolden
  extensions: ExtensionGolden
}

export function readCase(name: string): Case {
  const read = (file: string): unknown => JSON.parse(readFileSync(join(GOLDENS, file), 'utf8'))
  return {
    name,
    base: read(`${name}.json`) as BaseGolden,
    extensions: read(
      `${name.replace('-opset11-', '-opset17-')}.extensions.json`,
    ) as ExtensionGolden,
  }
}

export async function analyzeCase(testCase: Case): Promise<ModelAnalysis> {
  return analyzeModel(await loadModel(join(GOLDENS, testCase.base.model)))
}

/** Builds the backward graph and runs it once on the golden batch. */
export async function runCase(
  analysis: ModelAnalysis,
  testCase: Case,
  options: BackwardGraphOptions,
): Promise<{ graph: BackwardGraph; result: GradientResult }> {
  const graph = buildBackwardGraph(analysis, options)
  const session = await openGradientSession(graph, { intraOpNumThreads: 1 })
  try {
    const { images, imageDims, labels } = testCase.base
    const result = await session.run(Float32Array.from(images), imageDims, labels)
    return { graph, result }
  } finally {
    await session.release()
  }
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
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

export function l2(values: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < values.length; i += 1) sum += (values[i] ?? 0) ** 2
  return Math.sqrt(sum)
}

export const relativeError = (got: number, want: number): number =>
  Math.abs(got - want) / Math.abs(want)

export type SavedActivations = (builder: GraphBuilder) => ReadonlyMap<string, string>

/** The hook reading scale·x − shift, the golden's substitute, in place of each tensor x. */
export function affineSubstitutes(testCase: Case, tensors: readonly string[]): SavedActivations {
  const { scale, shift } = testCase.extensions.substitute
  return (builder) => {
    const scaleTensor = builder.float32Constant('test.scale', Float32Array.of(scale), [])
    const shiftTensor = builder.float32Constant('test.shift', Float32Array.of(shift), [])
    const emit = (opType: string, inputs: string[]): string =>
      emitSingle(builder, { opType, inputs, name: `test/${opType}` })
    return new Map(
      tensors.map((x) => [x, emit('Sub', [emit('Mul', [x, scaleTensor]), shiftTensor])]),
    )
  }
}
