import type { ProviderReport } from '../../electron/api/contract/index.ts'
import type { BackwardGraph } from '../surgery/backward/backward-graph.ts'
import { RuntimeError } from './errors.ts'
import { withScatterPlacement } from './gradient-placement.ts'
import { createSession } from './session.ts'
import type { SessionOptions } from './session.ts'

export interface GradientResult {
  /** Mean softmax cross-entropy over the batch. */
  loss: number
  /** [N, classes] row-major. */
  logits: Float32Array
  /** ‖∂L/∂p‖₂ per parameter, in `graph.parameters` order ('norm' graphs; else computed here). */
  parameterNorms: Float64Array
  /** ∂L/∂p per parameter in `graph.parameters` order ('gradient' graphs only). */
  gradients: Float32Array[] | null
  /** ‖∂L/∂(block output)‖₂ in `graph.blockOutputs` order; empty when the graph has none. */
  blockNorms: Float64Array
  /** ∂L/∂p in p's shape, by initializer, for every parameter with a `gradientOutput`. */
  fullGradients: Map<string, Float32Array>
  /** Per-channel statistics of ∂L/∂t in `graph.channelStatistics` order, each [channels]. */
  channelStatistics: ChannelGradientStatistics[]
}

/** AC-GC's per-channel gradient statistics of one tensor t, over every axis but the channels. */
export interface ChannelGradientStatistics {
  tensor: string
  /** Σ (∂L/∂t)², summed in float64 over the batch. */
  sumOfSquares: Float32Array
  /** How many entries of ∂L/∂t are not zero. */
  nonzeroCount: Float32Array
  /** max (∂L/∂t)². */
  maxSquare: Float32Array
}

export interface GradientSession {
  readonly graph: BackwardGraph
  /** One forward + backward pass on NCHW float32 images and their class labels. */
  run(
    images: Float32Array,
    dims: readonly number[],
    labels: readonly number[] | Int32Array,
  ): Promise<GradientResult>
  /** Providers and node placement; on DirectML it says that the MaxPool scatters ran on CPU. */
  providerReport(): ProviderReport
  release(): Promise<void>
}

/** Opens an ORT session on a backward graph (see buildBackwardGraph) with the chosen provider. */
export async function openGradientSession(
  graph: BackwardGraph,
  options: SessionOptions = {},
): Promise<GradientSession> {
  const session = await createSession(graph.model, options)
  const isGradientGraph = graph.parameterOutput === 'gradient'
  return {
    graph,
    run: async (images, dims, labels) => {
      const batch = dims[0] ?? 0
      if (labels.length !== batch) {
        throw new RuntimeError(
          'INVALID_ARGUMENT',
          `The batch has ${batch} images but ${labels.length} labels.`,
        )
      }
      const outputs = await session.run({
        [graph.imageInput]: { data: images, dims },
        [graph.labelsInput]: {
          data: BigInt64Array.from(labels, (label) => BigInt(label)),
          dims: [batch],
        },
      })
      const read = (name: string): Float32Array => {
        const output = outputs[name]
        if (output === undefined)
          throw new RuntimeError('INTERNAL', `The backward graph gave no output '${name}'.`)
        return output.data
      }
      const parameterOutputs = graph.parameters.map((p) => read(p.output))
      return {
        loss: read(graph.lossOutput)[0] ?? Number.NaN,
        logits: read(graph.logitsOutput),
        parameterNorms: Float64Array.from(parameterOutputs, (values) =>
          isGradientGraph ? l2Norm(values) : (values[0] ?? Number.NaN),
        ),
        gradients: isGradientGraph ? parameterOutputs : null,
        blockNorms: Float64Array.from(
          graph.blockOutputs,
          (block) => read(block.output)[0] ?? Number.NaN,
        ),
        fullGradients: new Map(
          graph.parameters.flatMap((p) =>
            p.gradientOutput === null ? [] : [[p.initializer, read(p.gradientOutput)]],
          ),
        ),
        channelStatistics: graph.channelStatistics.map((statistics) => ({
          tensor: statistics.tensor,
          sumOfSquares: read(statistics.sumOfSquares),
          nonzeroCount: read(statistics.nonzeroCount),
          maxSquare: read(statistics.maxSquare),
        })),
      }
    },
    providerReport: () => withScatterPlacement(session.providerReport(), graph.scatterOps),
    release: () => session.release(),
  }
}

function l2Norm(values: Float32Array): number {
  let sum = 0
  for (const value of values) sum += value * value
  return Math.sqrt(sum)
}
