import { analysisContract } from '../analysis-contract.ts'
import { IMAGES_HEADLINE } from '../results.ts'
import type { CheckpointJobBase } from '../jobs.ts'
import type { MeanStd } from './probes.ts'

/**
 * Loss gradients at one checkpoint, from a backward graph of standard ONNX operators: BatchNorm
 * in inference mode (running statistics), mean softmax cross-entropy on the images' labels, one
 * gradient per batch of `gradientBatch` images. On a BN-folded export the gradients are with
 * respect to the folded weights W·γ/σ, which differ from the training-time ones.
 */
export interface GradientsRequest extends CheckpointJobBase {
  kind: 'gradients'
  /** Images per gradient (the loss is the mean over them); each batch gives one sample of every norm. */
  gradientBatch: number
  /** Also the norm of ∂L/∂(block output) at the stem and every residual block's output. */
  blockOutputs: boolean
}

export type GradientParameterRole = 'weight' | 'bias' | 'bn-scale' | 'bn-bias'

/** One parameter tensor's gradient norm over the batches. */
export interface ParameterGradient {
  /** The initializer's name in the graph ('onnx::Conv_497' in folded exports). */
  initializer: string
  /** torchvision-style name from the node scope ('layer1.0.conv1.weight'); null when unmapped. */
  parameterKey: string | null
  /** 'stem', 'layer1.0', …, 'fc'. */
  layerKey: string
  role: GradientParameterRole
  shape: number[]
  /** ‖∂L/∂θ‖₂ of each batch's mean loss: mean and sample std over batches. */
  norm: MeanStd
  /** ‖θ‖₂, for the relative size ‖∇θ‖/‖θ‖. */
  parameterNorm: number
}

/** A layer's gradient: √(Σ‖g_p‖²) over its parameters, per batch, then mean and std over batches. */
export interface LayerGradient {
  layerKey: string
  /** Position from the input: 0 for the stem, then blocks in order, the classifier last. */
  depth: number
  norm: MeanStd
  /** Weights only (conv and linear), without biases and BatchNorm parameters. */
  weightNorm: MeanStd
}

export interface BlockOutputGradient {
  layerKey: string
  depth: number
  /** ‖∂L/∂y‖₂ of the block's output y, per batch (mean loss): mean and std over batches. */
  norm: MeanStd
}

export interface GradientsResult {
  numImages: number
  classes: string[]
  gradientBatch: number
  /** Batches the statistics are over (a last partial batch is left out). */
  batches: number
  /** Mean cross-entropy and top-1 over the batches' images (inference-mode BatchNorm). */
  loss: MeanStd
  accuracy: number
  /** BatchNorm folded into the convolutions at export: gradients are w.r.t. W·γ/σ. */
  isBnFolded: boolean
  /** Always 'inference': running statistics, as the checkpoint is evaluated. */
  batchNormMode: 'inference'
  parameters: ParameterGradient[]
  layers: LayerGradient[]
  blockOutputs: BlockOutputGradient[]
  /** Parameter initializers whose node carries no module scope (no parameterKey). */
  unmappedParameters: string[]
  /** Norm of the whole gradient (all parameters), mean and std over batches. */
  totalNorm: MeanStd
  /** Where the backward graph's nodes ran (ScatterElements falls back to CPU on DirectML). */
  placementNote: string | null
  /** Wall time: building the graph, creating the session, forward + backward passes (ms). */
  timings: { build: number; session: number; passes: number }
}

export const gradientsContract = analysisContract<{
  jobs: GradientsRequest
  payloads: { gradients: GradientsResult }
  invoke: Record<never, never>
  charts: 'gradient-layers' | 'gradient-trajectory'
}>({
  channels: {},
  charts: ['gradient-layers', 'gradient-trajectory'],
  kinds: {
    gradients: {
      label: 'Gradient norms',
      headline: [
        {
          key: 'totalNorm',
          label: '‖∇L‖ (inference BN)',
          format: 'number',
          digits: 4,
          better: null,
          isListed: true,
        },
        {
          key: 'loss',
          label: 'loss',
          format: 'number',
          digits: 4,
          better: 'lower',
          isListed: true,
        },
        {
          key: 'batches',
          label: 'batches',
          format: 'count',
          digits: 0,
          better: null,
          isListed: false,
        },
        IMAGES_HEADLINE,
      ],
    },
  },
})
