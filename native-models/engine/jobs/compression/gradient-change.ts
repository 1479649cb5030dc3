import type { AcgcLayerGradient } from '../../../../electron/api/contract/index.ts'
import { meanStd } from '../../../analysis/probes/probe-summary.ts'
import type { GradientResult } from '../../../runtime/gradient-session.ts'
import type { NamedParameters } from '../gradients/named-parameters.ts'

type Change = Omit<AcgcLayerGradient, 'layerKey' | 'depth'>

/**
 * Per layer (√Σ‖g_p‖² over its parameters) and for the whole gradient, batch by batch: the norm
 * with exact activations, with the quantized ones, and their relative change on the same batch.
 */
export function gradientChange(
  names: NamedParameters,
  exact: readonly GradientResult[],
  quantized: readonly GradientResult[],
): { layers: AcgcLayerGradient[]; total: Change } {
  if (exact.length !== quantized.length)
    throw new RangeError(`${exact.length} exact and ${quantized.length} quantized batches.`)
  const change = (select: (index: number) => boolean): Change => {
    const norm = (result: GradientResult): number => {
      let sum = 0
      result.parameterNorms.forEach((n, i) => (sum += select(i) ? n * n : 0))
      return Math.sqrt(sum)
    }
    const e = exact.map(norm)
    const q = quantized.map(norm)
    return {
      exact: meanStd(e),
      quantized: meanStd(q),
      relativeChange: meanStd(q.map((value, i) => (value - e[i]) / e[i])),
    }
  }
  const present = new Set(names.parameters.map((p) => p.layerKey))
  const order = [...names.layerOrder.filter((key) => present.has(key))]
  for (const key of present) if (!order.includes(key)) order.push(key)
  const layers = order.map((layerKey, depth) => ({
    layerKey,
    depth,
    ...change((i) => names.parameters[i]?.layerKey === layerKey),
  }))
  return { layers, total: change(() => true) }
}
