import { DataType } from '../onnx/proto.ts'
import type { ModelProto, TensorProto } from '../onnx/proto.ts'

/** What a parameter tensor is to its layer. */
export type ParameterRole = 'weight' | 'bias' | 'bn-scale' | 'bn-shift'

/**
 * 'weights': conv and linear weights and the BatchNorm scale, the tensors DAMP perturbs;
 * 'all': biases and the BatchNorm shift too. BatchNorm's running mean and variance never.
 */
export type NoiseScope = 'weights' | 'all'

export interface NoiseTarget {
  name: string
  role: ParameterRole
  /** Position among the targets: it seeds this tensor's draws (see weightNoiseSeed). */
  index: number
  elements: number
}

/** Input slots of parameter tensors per operator type. */
const PARAMETER_INPUTS: Record<string, Partial<Record<number, ParameterRole>>> = {
  Conv: { 1: 'weight', 2: 'bias' },
  ConvTranspose: { 1: 'weight', 2: 'bias' },
  Gemm: { 1: 'weight', 2: 'bias' },
  MatMul: { 1: 'weight' },
  BatchNormalization: { 1: 'bn-scale', 2: 'bn-shift' },
}

const IN_SCOPE: Record<NoiseScope, readonly ParameterRole[]> = {
  weights: ['weight', 'bn-scale'],
  all: ['weight', 'bias', 'bn-scale', 'bn-shift'],
}

function elementsOf(tensor: TensorProto): number {
  return (tensor.dims ?? []).reduce((product, dim) => product * dim, 1)
}

/**
 * The float32 initializers a weight-noise sample multiplies, in graph order: every parameter
 * input of Conv, Gemm, MatMul and BatchNormalization nodes that the scope includes.
 */
export function weightNoiseTargets(model: ModelProto, scope: NoiseScope): NoiseTarget[] {
  const graph = model.graph ?? {}
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]))
  const targets: NoiseTarget[] = []
  const seen = new Set<string>()
  for (const node of graph.node ?? []) {
    const slots = PARAMETER_INPUTS[node.opType ?? ''] ?? {}
    for (const [slot, role] of Object.entries(slots)) {
      const name = node.input?.[Number(slot)] ?? ''
      const tensor = initializers.get(name)
      if (!tensor || seen.has(name) || tensor.dataType !== DataType.FLOAT) continue
      if (!role || !IN_SCOPE[scope].includes(role)) continue
      seen.add(name)
      targets.push({ name, role, index: targets.length, elements: elementsOf(tensor) })
    }
  }
  return targets
}
