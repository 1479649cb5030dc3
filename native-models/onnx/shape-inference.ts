import {
  constantFromTensor,
  constantNodeValue,
  foldArithmetic,
  foldCast,
  foldConcat,
  foldGather,
  foldShape,
  foldSlice,
} from './constant-folding.ts'
import type { ConstantTensor } from './constant-folding.ts'
import { ModelError } from './errors.ts'
import { attributeInt, attributeInts } from './graph.ts'
import type { GraphIR, GraphNode } from './graph.ts'
import {
  broadcastShapes,
  concatShape,
  convShape,
  flattenShape,
  gatherShape,
  gemmShape,
  matMulShape,
  poolShape,
  reduceShape,
  reshapeShape,
  sliceSelection,
  squeezeShape,
  transposeShape,
  unsqueezeShape,
} from './shape-ops.ts'
import type { Shape, SliceSpec } from './shape-ops.ts'
import type { ExternalBytes } from './tensor-data.ts'

/** Concrete shapes (batch 1, the summary's input size) and folded constant values by tensor name. */
export interface ShapeInference {
  shapes: ReadonlyMap<string, Shape>
  constants: ReadonlyMap<string, ConstantTensor>
}

interface Context {
  opset: number
  shape(name: string): Shape
  constant(name: string | undefined): ConstantTensor | undefined
  values(name: string | undefined, what: string): number[]
}

interface Inferred {
  shape: Shape
  constant?: ConstantTensor | undefined
}

type Handler = (node: GraphNode, ctx: Context) => Inferred

const input0 = (node: GraphNode): string => node.inputs[0] ?? ''

/** Ops that keep their input's shape (and, for the data-movement ones, its values). */
function sameShape(node: GraphNode, ctx: Context): Inferred {
  return { shape: ctx.shape(input0(node)) }
}

function withValues(node: GraphNode, ctx: Context, shape: Shape): Inferred {
  const constant = ctx.constant(input0(node))
  return { shape, constant: constant && { ...constant, dims: shape } }
}

/** Axes moved from an attribute to an input at `inputSince` (Unsqueeze/Squeeze 13, ReduceMean 18). */
function axesOf(node: GraphNode, ctx: Context, inputSince: number): number[] | undefined {
  if (ctx.opset < inputSince) return attributeInts(node, 'axes')
  const name = node.inputs[1]
  return name ? ctx.values(name, 'axes') : undefined
}

function sliceSpec(node: GraphNode, ctx: Context): SliceSpec {
  const optional = (i: number, what: string): number[] | undefined =>
    node.inputs[i] ? ctx.values(node.inputs[i], what) : undefined
  return {
    starts: ctx.values(node.inputs[1], 'starts'),
    ends: ctx.values(node.inputs[2], 'ends'),
    axes: optional(3, 'axes'),
    steps: optional(4, 'steps'),
  }
}

function arithmetic(node: GraphNode, ctx: Context): Inferred {
  const [a, b] = node.inputs.map((name) => ctx.constant(name))
  if (a && b) {
    const constant = foldArithmetic(node.opType, a, b)
    return { shape: constant.dims, constant }
  }
  return { shape: broadcastShapes(node.inputs.map((name) => ctx.shape(name))) }
}

function gather(node: GraphNode, ctx: Context): Inferred {
  const [data, indices] = [ctx.constant(node.inputs[0]), ctx.constant(node.inputs[1])]
  if (data && indices) {
    const constant = foldGather(node, data, indices)
    return { shape: constant.dims, constant }
  }
  return { shape: gatherShape(node, ctx.shape(input0(node)), ctx.shape(node.inputs[1] ?? '')) }
}

function concat(node: GraphNode, ctx: Context): Inferred {
  const parts = node.inputs.map((name) => ctx.constant(name))
  if (parts.every((part) => part !== undefined)) {
    const constant = foldConcat(node, parts)
    return { shape: constant.dims, constant }
  }
  return {
    shape: concatShape(
      node,
      node.inputs.map((name) => ctx.shape(name)),
    ),
  }
}

function slice(node: GraphNode, ctx: Context): Inferred {
  const spec = sliceSpec(node, ctx)
  const data = ctx.constant(input0(node))
  if (data) {
    const constant = foldSlice(data, spec)
    return { shape: constant.dims, constant }
  }
  return { shape: sliceSelection(ctx.shape(input0(node)), spec).map((kept) => kept.length) }
}

function reduceMean(node: GraphNode, ctx: Context): Inferred {
  const axes = axesOf(node, ctx, 18)
  const keepDims = attributeInt(node, 'keepdims', 1) === 1
  const noop = axes === undefined && attributeInt(node, 'noop_with_empty_axes', 0) === 1
  const input = ctx.shape(input0(node))
  return { shape: noop ? input : reduceShape(input, axes, keepDims) }
}

function cast(node: GraphNode, ctx: Context): Inferred {
  const constant = ctx.constant(input0(node))
  return { shape: ctx.shape(input0(node)), constant: constant && foldCast(node, constant) }
}

function constantNode(node: GraphNode): Inferred {
  const { dims, constant } = constantNodeValue(node)
  return { shape: dims, constant }
}

const HANDLERS: Record<string, Handler> = {
  Conv: (node, ctx) => ({
    shape: convShape(node, ctx.shape(input0(node)), ctx.shape(node.inputs[1] ?? '')),
  }),
  BatchNormalization: sameShape,
  Relu: sameShape,
  Softmax: sameShape,
  Dropout: sameShape,
  Identity: (node, ctx) => withValues(node, ctx, ctx.shape(input0(node))),
  MaxPool: (node, ctx) => ({ shape: poolShape(node, ctx.shape(input0(node))) }),
  AveragePool: (node, ctx) => ({ shape: poolShape(node, ctx.shape(input0(node))) }),
  GlobalAveragePool: (node, ctx) => ({
    shape: ctx.shape(input0(node)).map((d, i) => (i < 2 ? d : 1)),
  }),
  ReduceMean: reduceMean,
  Add: arithmetic,
  Sub: arithmetic,
  Mul: arithmetic,
  Div: arithmetic,
  Flatten: (node, ctx) => withValues(node, ctx, flattenShape(node, ctx.shape(input0(node)))),
  Reshape: (node, ctx) =>
    withValues(
      node,
      ctx,
      reshapeShape(node, ctx.shape(input0(node)), ctx.values(node.inputs[1], 'shape')),
    ),
  Gemm: (node, ctx) => ({
    shape: gemmShape(node, ctx.shape(input0(node)), ctx.shape(node.inputs[1] ?? '')),
  }),
  MatMul: (node, ctx) => ({
    shape: matMulShape(ctx.shape(input0(node)), ctx.shape(node.inputs[1] ?? '')),
  }),
  Transpose: (node, ctx) => ({ shape: transposeShape(node, ctx.shape(input0(node))) }),
  Shape: (node, ctx) => {
    const constant = foldShape(node, ctx.shape(input0(node)))
    return { shape: constant.dims, constant }
  },
  Gather: gather,
  Unsqueeze: (node, ctx) => {
    const axes = axesOf(node, ctx, 13)
    if (!axes)
      throw new Error(
        `axes are missing (an ${ctx.opset >= 13 ? 'input' : 'attribute'} at opset ${ctx.opset})`,
      )
    return withValues(node, ctx, unsqueezeShape(ctx.shape(input0(node)), axes))
  },
  Squeeze: (node, ctx) =>
    withValues(node, ctx, squeezeShape(ctx.shape(input0(node)), axesOf(node, ctx, 13))),
  Concat: concat,
  Cast: cast,
  Slice: slice,
  Constant: constantNode,
}

/** The operators whose shapes this reader infers: the ResNet op set plus shape arithmetic. */
export const SUPPORTED_OPERATORS: ReadonlySet<string> = new Set(Object.keys(HANDLERS))

function createContext(
  ir: GraphIR,
  shapes: Map<string, Shape>,
  constants: Map<string, ConstantTensor>,
  external: ExternalBytes | undefined,
): Context {
  const constant = (name: string | undefined): ConstantTensor | undefined => {
    if (!name) return undefined
    if (!constants.has(name) && ir.initializers.has(name)) {
      const folded = constantFromTensor(ir.initializers.get(name) ?? {}, external)
      if (folded) constants.set(name, folded)
    }
    return constants.get(name)
  }
  return {
    opset: ir.opset,
    constant,
    shape: (name) => {
      const shape = shapes.get(name) ?? ir.initializers.get(name)?.dims
      if (!shape) throw new Error(`the shape of '${name}' is unknown`)
      return shape
    },
    values: (name, what) => {
      const known = constant(name)
      if (!known)
        throw new Error(`its ${what} ('${name ?? ''}') is not a constant this reader can fold`)
      return known.values
    },
  }
}

function inferNode(node: GraphNode, ctx: Context): Inferred {
  const handler = HANDLERS[node.opType]
  if (!handler) throw new Error(`${node.opType} is not supported`)
  try {
    return handler(node, ctx)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ModelError(
      'SHAPE_INFERENCE_FAILED',
      `Shape inference failed at ${node.opType} node '${node.name}': ${reason}.`,
      { cause: error },
    )
  }
}

/**
 * Infers every tensor's shape for the given concrete graph-input shapes, folding constant chains
 * on the way (Reshape targets, axes inputs).
 */
export function inferShapes(
  ir: GraphIR,
  inputShapes: ReadonlyMap<string, Shape>,
  external?: ExternalBytes,
): ShapeInference {
  const shapes = new Map(inputShapes)
  const constants = new Map<string, ConstantTensor>()
  const ctx = createContext(ir, shapes, constants, external)
  for (const node of ir.nodes) {
    const { shape, constant } = inferNode(node, ctx)
    node.outputs.forEach((name, i) => {
      if (name === '') return
      // Secondary outputs (MaxPool indices) share the main output's shape; BN's training
      // outputs never appear in an inference graph.
      shapes.set(name, i === 0 || node.opType === 'MaxPool' ? shape : [])
      if (i === 0 && constant) constants.set(name, constant)
    })
  }
  return { shapes, constants }
}
