// What a graph does to its image before the first convolution: an NHWC→NCHW Transpose and
// per-channel normalisation ((x − mean) / std, or a multiplication by 1/std).

import type { ConstantTensor } from './constant-folding.ts'
import { attributeInts } from './graph.ts'
import type { GraphIR, GraphNode } from './graph.ts'

export interface InputPreamble {
  layout: 'NCHW' | 'NHWC'
  /** The tensor the stem's first convolution reads. */
  stemInput: string
  nodes: GraphNode[]
}

export interface Normalization {
  mean: number[]
  std: number[]
}

const PREAMBLE_OPS = new Set(['Transpose', 'Sub', 'Div', 'Mul', 'Add', 'Identity', 'Cast'])
const NHWC_TO_NCHW = [0, 3, 1, 2]

function isNhwcTranspose(node: GraphNode): boolean {
  const perm = attributeInts(node, 'perm') ?? []
  return node.opType === 'Transpose' && perm.join() === NHWC_TO_NCHW.join()
}

/** Follows the image through single-consumer elementwise ops and Transposes up to the stem. */
export function findInputPreamble(ir: GraphIR, imageName: string): InputPreamble {
  const nodes: GraphNode[] = []
  let current = imageName
  for (;;) {
    const consumers = ir.consumers.get(current) ?? []
    const next = consumers[0]
    if (consumers.length !== 1 || !next || !PREAMBLE_OPS.has(next.opType)) break
    if (next.inputs.filter((name) => name === current).length > 1) break
    nodes.push(next)
    current = next.outputs[0] ?? ''
  }
  return { layout: nodes.some(isNhwcTranspose) ? 'NHWC' : 'NCHW', stemInput: current, nodes }
}

interface Affine {
  scale: number[]
  shift: number[]
}

function perChannel(constant: ConstantTensor | undefined, channels: number): number[] | null {
  if (!constant) return null
  if (constant.values.length === 1) return Array<number>(channels).fill(constant.values[0] ?? 0)
  return constant.values.length === channels ? constant.values : null
}

/** Composes y = scale·x + shift through one arithmetic node; null when it is not per-channel affine. */
function applyStep(affine: Affine, node: GraphNode, data: string, value: number[]): Affine | null {
  const dataFirst = node.inputs[0] === data
  const { scale, shift } = affine
  switch (node.opType) {
    case 'Add':
      return { scale, shift: shift.map((b, c) => b + (value[c] ?? 0)) }
    case 'Sub':
      return dataFirst
        ? { scale, shift: shift.map((b, c) => b - (value[c] ?? 0)) }
        : { scale: scale.map((a) => -a), shift: shift.map((b, c) => (value[c] ?? 0) - b) }
    case 'Mul':
      return {
        scale: scale.map((a, c) => a * (value[c] ?? 1)),
        shift: shift.map((b, c) => b * (value[c] ?? 1)),
      }
    case 'Div':
      if (!dataFirst) return null
      return {
        scale: scale.map((a, c) => a / (value[c] ?? 1)),
        shift: shift.map((b, c) => b / (value[c] ?? 1)),
      }
    default:
      return affine
  }
}

const rounded = (value: number): number => Number(value.toPrecision(7))

/**
 * The per-channel mean and std the preamble applies, or null when it normalises nothing.
 * `unreadable` is set when it does arithmetic this reader cannot express as mean/std.
 */
export function readNormalization(
  preamble: InputPreamble,
  imageName: string,
  constants: ReadonlyMap<string, ConstantTensor>,
  channels: number,
): { normalization: Normalization | null; unreadable: boolean } {
  let affine: Affine = {
    scale: Array<number>(channels).fill(1),
    shift: Array<number>(channels).fill(0),
  }
  let data = imageName
  for (const node of preamble.nodes) {
    const operand = node.inputs.find((name) => name !== data)
    if (['Add', 'Sub', 'Mul', 'Div'].includes(node.opType)) {
      const value = perChannel(constants.get(operand ?? ''), channels)
      const next = value && applyStep(affine, node, data, value)
      if (!next) return { normalization: null, unreadable: true }
      affine = next
    }
    data = node.outputs[0] ?? ''
  }
  const isIdentity = affine.scale.every((a) => a === 1) && affine.shift.every((b) => b === 0)
  if (isIdentity) return { normalization: null, unreadable: false }
  return {
    normalization: {
      mean: affine.shift.map((b, c) => rounded(-b / (affine.scale[c] ?? 1))),
      std: affine.scale.map((a) => rounded(1 / a)),
    },
    unreadable: false,
  }
}
