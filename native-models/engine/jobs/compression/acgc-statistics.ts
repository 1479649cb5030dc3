import type {
  BnInputStatistics,
  ConvInputStatistics,
  SiteGradientStatistics,
} from '../../../analysis/compression/index.ts'
import { readInitializerFloat32 } from '../../../onnx/index.ts'
import type { ModelAnalysis } from '../../../onnx/index.ts'
import type { GradientResult } from '../../../runtime/gradient-session.ts'
import type {
  BatchNormInputSite,
  CompressionSite,
  SiteBatchNorm,
  SiteConv,
} from '../../../surgery/fake-quant/index.ts'

/**
 * Where the backward graph measures ‖∂L/∂y‖² of a tensor y: y itself, or, when y only feeds an
 * inference-mode BatchNorm whose backward runs fused with the conv, the BatchNorm's output z,
 * since ∂L/∂y = ∂L/∂z · γ/√(σ² + ε) per channel.
 */
interface GradientProbe {
  tensor: string
  /** (γ/√(σ² + ε))² per channel, or null when measured at y itself. */
  squaredGain: Float64Array | null
}

interface BatchNormValues {
  gammaSquared: Float64Array
  inverseVariance: Float64Array
}

/** What the exact backward graph must output for AC-GC's bound, and how to read it per batch. */
export interface AcgcGradientPlan {
  /** Tensors whose per-channel gradient statistics the backward graph outputs. */
  statisticTensors: string[]
  /** BatchNorm scales whose full gradient (∂γ per channel) the backward graph outputs. */
  fullGradients: Set<string>
  /** Per site, its statistics from one batch's backward pass. */
  siteStatistics(
    result: GradientResult,
    parameterIndex: ReadonlyMap<string, number>,
  ): SiteGradientStatistics[]
}

export function acgcGradientPlan(
  analysis: ModelAnalysis,
  sites: readonly CompressionSite[],
): AcgcGradientPlan {
  const bnSiteByTensor = new Map(
    sites.flatMap((site) => (site.kind === 'bn-input' ? [[site.tensor, site] as const] : [])),
  )
  const values = new Map<string, BatchNormValues>()
  const batchNormValues = (batchNorm: SiteBatchNorm): BatchNormValues => {
    const known = values.get(batchNorm.nodeName)
    if (known !== undefined) return known
    const gamma = readInitializerFloat32(analysis.loaded, batchNorm.scale)
    const variance = readInitializerFloat32(analysis.loaded, batchNorm.variance)
    const read = {
      gammaSquared: Float64Array.from(gamma, (g) => g * g),
      inverseVariance: Float64Array.from(variance, (v) => 1 / (v + batchNorm.epsilon)),
    }
    values.set(batchNorm.nodeName, read)
    return read
  }
  const probeOf = (tensor: string): GradientProbe => {
    const batchNormSite = bnSiteByTensor.get(tensor)
    if (batchNormSite === undefined) return { tensor, squaredGain: null }
    const { gammaSquared, inverseVariance } = batchNormValues(batchNormSite.batchNorm)
    const squaredGain = gammaSquared.map((g2, k) => g2 * inverseVariance[k])
    return { tensor: batchNormSite.batchNorm.output, squaredGain }
  }
  const probes = new Map<string, GradientProbe>()
  for (const site of sites) {
    const tensors = site.kind === 'conv-input' ? site.convs.map((c) => c.output) : [site.tensor]
    for (const tensor of tensors) probes.set(tensor, probeOf(tensor))
  }
  const statisticTensors = [...new Set([...probes.values()].map((probe) => probe.tensor))]
  const fullGradients = new Set(
    sites.flatMap((site) => (site.kind === 'bn-input' ? [site.batchNorm.scale] : [])),
  )
  return {
    statisticTensors,
    fullGradients,
    siteStatistics: (result, parameterIndex) => {
      const byTensor = new Map(result.channelStatistics.map((s) => [s.tensor, s]))
      const squaredNorm = (tensor: string): number => {
        const probe = probes.get(tensor)!
        const statistics = byTensor.get(probe.tensor)
        if (statistics === undefined)
          throw new RangeError(`The backward graph gave no statistics of '${probe.tensor}'.`)
        let sum = 0
        statistics.sumOfSquares.forEach((value, k) => {
          sum += value * (probe.squaredGain === null ? 1 : probe.squaredGain[k])
        })
        return sum
      }
      return sites.map((site) =>
        site.kind === 'conv-input'
          ? convStatistics(site.convs, result, parameterIndex, squaredNorm)
          : bnStatistics(site, result, batchNormValues(site.batchNorm), squaredNorm, byTensor),
      )
    },
  }
}

function convStatistics(
  convs: readonly SiteConv[],
  result: GradientResult,
  parameterIndex: ReadonlyMap<string, number>,
  squaredNorm: (tensor: string) => number,
): ConvInputStatistics {
  return {
    kind: 'conv-input',
    successors: convs.map((conv) => {
      const index = parameterIndex.get(conv.weight)
      if (index === undefined)
        throw new RangeError(`The backward graph does not differentiate '${conv.weight}'.`)
      const weightNorm = result.parameterNorms[index]
      return {
        weightGradSquaredNorm: weightNorm * weightNorm,
        outputGradSquaredNorm: squaredNorm(conv.output),
        kernelHeight: conv.kernel[0],
        kernelWidth: conv.kernel[1],
        strideHeight: conv.strides[0],
        strideWidth: conv.strides[1],
      }
    }),
  }
}

function bnStatistics(
  site: BatchNormInputSite,
  result: GradientResult,
  values: BatchNormValues,
  squaredNorm: (tensor: string) => number,
  byTensor: ReadonlyMap<string, GradientResult['channelStatistics'][number]>,
): BnInputStatistics {
  const output = byTensor.get(site.batchNorm.output)
  const gammaGradient = result.fullGradients.get(site.batchNorm.scale)
  if (output === undefined || gammaGradient === undefined)
    throw new RangeError(`The backward graph gave no gradients at '${site.batchNorm.nodeName}'.`)
  return {
    kind: 'bn-input',
    inverseStdSquared: Array.from(values.inverseVariance),
    gammaSquared: Array.from(values.gammaSquared),
    gammaGradSquared: Array.from(gammaGradient, (g) => g * g),
    outputGradNonzeroCountSquared: Array.from(output.nonzeroCount, (n) => n * n),
    outputGradSquaredMax: Array.from(output.maxSquare),
    inputGradSquaredNorm: squaredNorm(site.tensor),
  }
}
