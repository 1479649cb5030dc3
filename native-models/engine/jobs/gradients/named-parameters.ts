import type { GradientParameterRole } from '../../../../electron/api/contract/index.ts'
import { readInitializerFloat32 } from '../../../onnx/index.ts'
import type { ModelAnalysis } from '../../../onnx/index.ts'
import { layerKeyOfParameterName, modelParameters } from '../../../onnx/parameter-keys.ts'
import type { ModelParameter } from '../../../onnx/parameter-keys.ts'
import type { BackwardParameter } from '../../../surgery/backward/backward-graph.ts'
import type { NamedParameter } from './gradient-statistics.ts'

export interface NamedParameters {
  /** In the backward graph's order. */
  parameters: NamedParameter[]
  /** Layer keys from the input: 'stem', the blocks in order, 'fc'. */
  layerOrder: string[]
  /** Initializers whose node carries no module scope. */
  unmapped: string[]
}

/**
 * The backward graph's parameters under their scope names and structural layer keys (joined
 * by initializer name), each with ‖θ‖₂.
 */
export function namedParameters(
  analysis: ModelAnalysis,
  differentiated: readonly BackwardParameter[],
): NamedParameters {
  const { parameters, unmapped } = modelParameters(analysis)
  const byInitializer = new Map(parameters.map((p) => [p.initializer, p]))
  const named = differentiated.map((parameter): NamedParameter => {
    const known = byInitializer.get(parameter.initializer)
    return {
      initializer: parameter.initializer,
      parameterKey: known?.parameterKey ?? null,
      layerKey: known?.layerKey ?? layerKeyOfParameterName(parameter.initializer) ?? 'unknown',
      role: known?.role ?? roleOfOp(parameter.opType),
      shape: parameter.shape,
      parameterNorm: l2Norm(
        readInitializerFloat32(analysis.loaded, known?.valuesFrom ?? parameter.initializer),
      ),
    }
  })
  const layerOrder = [...new Set(parameters.map((p: ModelParameter) => p.layerKey))]
  const missing = named.filter((p) => p.parameterKey === null).map((p) => p.initializer)
  return { parameters: named, layerOrder, unmapped: [...new Set([...unmapped, ...missing])] }
}

function roleOfOp(opType: string): GradientParameterRole {
  return opType === 'BatchNormalization' ? 'bn-scale' : opType === 'Add' ? 'bias' : 'weight'
}

function l2Norm(values: Float32Array): number {
  let sum = 0
  for (const value of values) sum += value * value
  return Math.sqrt(sum)
}
