// The concrete shapes the analysis runs at: batch 1, the graph's own spatial size, or 224×224
// when it is dynamic (the size every ImageNet ResNet is evaluated at).

import type { Dim, TensorInfo } from '../../electron/api/contract/index.ts'
import { ModelError } from './errors.ts'
import { declaredDims, declaredElemType } from './graph.ts'
import type { GraphIR } from './graph.ts'
import type { ValueInfoProto } from './proto.ts'
import type { Shape } from './shape-ops.ts'
import { dataTypeName } from './tensor-data.ts'

export const ASSUMED_SPATIAL_SIZE = 224
const ASSUMED_CHANNELS = 3

export interface InputSize {
  channels: number
  height: number
  width: number
  isAssumed: boolean
}

export interface ConcreteInputs {
  /** Batch-1 shapes for every non-initializer graph input. */
  shapes: Map<string, Shape>
  inputSize: InputSize
  warnings: string[]
}

const UNNAMED_IMAGE_DIMS = ['batch', 'channels', 'height', 'width']

function imageDims(image: ValueInfoProto, layout: 'NCHW' | 'NHWC'): Dim[] {
  const names = layout === 'NCHW' ? UNNAMED_IMAGE_DIMS : ['batch', 'height', 'width', 'channels']
  return (declaredDims(image) ?? []).map((dim, i) => dim ?? names[i] ?? `dim${i}`)
}

function concreteImage(
  image: ValueInfoProto,
  layout: 'NCHW' | 'NHWC',
): { shape: Shape; size: InputSize; warnings: string[] } {
  const dims = imageDims(image, layout)
  const [channelAxis, heightAxis, widthAxis] = layout === 'NCHW' ? [1, 2, 3] : [3, 1, 2]
  const fixed = (axis: number): number | null => {
    const dim = dims[axis]
    return typeof dim === 'number' ? dim : null
  }
  const height = fixed(heightAxis)
  const width = fixed(widthAxis)
  const isAssumed = height === null || width === null
  const size = {
    channels: fixed(channelAxis) ?? ASSUMED_CHANNELS,
    height: height ?? ASSUMED_SPATIAL_SIZE,
    width: width ?? ASSUMED_SPATIAL_SIZE,
    isAssumed,
  }
  const warnings: string[] = []
  if (isAssumed) {
    warnings.push(
      `The input's spatial size is dynamic; shapes and MACs assume ${size.height}×${size.width}.`,
    )
  }
  if (fixed(channelAxis) === null)
    warnings.push(`The input's channel count is dynamic; assumed ${ASSUMED_CHANNELS}.`)
  const shape =
    layout === 'NCHW'
      ? [1, size.channels, size.height, size.width]
      : [1, size.height, size.width, size.channels]
  return { shape, size, warnings }
}

function concreteWeightInput(input: ValueInfoProto, fileName: string): Shape {
  const dims = declaredDims(input) ?? []
  if (dims.every((dim) => typeof dim === 'number')) return dims
  throw new ModelError(
    'SHAPE_INFERENCE_FAILED',
    `Input '${input.name}' of ${fileName} has dynamic dims [${dims.map((d) => d ?? '?').join(', ')}]; only the image may be dynamic.`,
  )
}

export function concreteInputs(
  ir: GraphIR,
  image: ValueInfoProto,
  layout: 'NCHW' | 'NHWC',
  fileName: string,
): ConcreteInputs {
  const { shape, size, warnings } = concreteImage(image, layout)
  const shapes = new Map<string, Shape>([[image.name ?? '', shape]])
  for (const input of ir.inputs) {
    if (input !== image) shapes.set(input.name ?? '', concreteWeightInput(input, fileName))
  }
  return { shapes, inputSize: size, warnings }
}

export function imageTensorInfo(image: ValueInfoProto, layout: 'NCHW' | 'NHWC'): TensorInfo {
  return {
    name: image.name ?? '',
    dataType: dataTypeName(declaredElemType(image)),
    shape: imageDims(image, layout),
  }
}

/** A graph output's declared dims, with gaps filled from inference (batch stays symbolic). */
export function outputTensorInfo(
  output: ValueInfoProto,
  inferred: Shape | undefined,
  batch: Dim,
): TensorInfo {
  const declared = declaredDims(output) ?? (inferred ?? []).map(() => null)
  const shape = declared.map(
    (dim, i) => dim ?? (i === 0 && typeof batch === 'string' ? batch : (inferred?.[i] ?? '?')),
  )
  const elemType = declaredElemType(output)
  return { name: output.name ?? '', dataType: dataTypeName(elemType === 0 ? 1 : elemType), shape }
}
