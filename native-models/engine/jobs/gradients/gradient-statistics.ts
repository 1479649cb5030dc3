import type {
  BlockOutputGradient,
  GradientParameterRole,
  LayerGradient,
  MeanStd,
  ParameterGradient,
} from '../../../../electron/api/contract/index.ts'
import { meanStd } from '../../../analysis/probes/probe-summary.ts'

/** A parameter of the backward graph, named as the researcher knows it. */
export interface NamedParameter {
  initializer: string
  parameterKey: string | null
  layerKey: string
  role: GradientParameterRole
  shape: number[]
  /** ‖θ‖₂ */
  parameterNorm: number
}

/** What one batch's forward + backward pass gives. */
export interface BatchGradients {
  /** ‖∂L/∂θ_p‖₂ per parameter, in the order of the parameters. */
  parameterNorms: Float64Array
  /** ‖∂L/∂y_b‖₂ per block output, in the order of the block outputs. */
  blockNorms: Float64Array
  /** Mean cross-entropy of the batch. */
  loss: number
  /** Images whose top-1 class is their label. */
  correct: number
}

export interface GradientStatistics {
  parameters: ParameterGradient[]
  layers: LayerGradient[]
  blockOutputs: BlockOutputGradient[]
  totalNorm: MeanStd
  loss: MeanStd
  accuracy: number
}

/** 'weight' for conv and linear weights; BatchNorm and biases are not weights. */
const isWeight = (role: GradientParameterRole): boolean => role === 'weight'

/**
 * Mean and sample std over batches of every norm. A layer's and the total norm are formed per
 * batch (√Σ‖g_p‖² over its parameters, the norm of the concatenated gradient) before averaging:
 * the mean of norms is not the norm of means.
 */
export function gradientStatistics(
  parameters: readonly NamedParameter[],
  blocks: readonly { layerKey: string }[],
  layerOrder: readonly string[],
  batches: readonly BatchGradients[],
  imagesPerBatch: number,
): GradientStatistics {
  const overBatches = (of: (batch: BatchGradients) => number): MeanStd => meanStd(batches.map(of))
  const depthOf = (layerKey: string): number => {
    const depth = layerOrder.indexOf(layerKey)
    return depth < 0 ? layerOrder.length : depth
  }
  const layerKeys = [...new Set(parameters.map((p) => p.layerKey))].sort(
    (a, b) => depthOf(a) - depthOf(b),
  )
  const everyIndex = parameters.map((_, index) => index)
  const correct = batches.reduce((sum, batch) => sum + batch.correct, 0)
  return {
    parameters: parameters.map((parameter, index) => ({
      ...parameter,
      norm: overBatches((batch) => batch.parameterNorms[index]),
    })),
    layers: layerKeys.map((layerKey) => {
      const members = everyIndex.filter((i) => parameters[i].layerKey === layerKey)
      const weights = members.filter((i) => isWeight(parameters[i].role))
      return {
        layerKey,
        depth: depthOf(layerKey),
        norm: overBatches((batch) => combinedNorm(batch.parameterNorms, members)),
        weightNorm: overBatches((batch) => combinedNorm(batch.parameterNorms, weights)),
      }
    }),
    blockOutputs: blocks.map((block, index) => ({
      layerKey: block.layerKey,
      depth: depthOf(block.layerKey),
      norm: overBatches((batch) => batch.blockNorms[index]),
    })),
    totalNorm: overBatches((batch) => combinedNorm(batch.parameterNorms, everyIndex)),
    loss: overBatches((batch) => batch.loss),
    accuracy: batches.length === 0 ? 0 : correct / (batches.length * imagesPerBatch),
  }
}

/** √Σ‖g_p‖² over the chosen parameters: the norm of their gradients put end to end. */
export function combinedNorm(norms: Float64Array, indices: readonly number[]): number {
  let sum = 0
  for (const index of indices) sum += norms[index] ** 2
  return Math.sqrt(sum)
}
