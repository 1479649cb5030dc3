import type { GraphNode } from '../../onnx/graph.ts'
import type { ModelAnalysis } from '../../onnx/model-analysis.ts'
import type { AttributeProto } from '../../onnx/proto.ts'
import type { GraphBuilder } from '../graph-builder.ts'
import { emitSingle } from '../ops.ts'

export interface GradientContextOptions {
  /** Tensors that take a gradient: activations on the path to the loss and parameters. */
  takesGradient: ReadonlySet<string>
  activations: ReadonlySet<string>
  /** Parameters whose gradient must keep the parameter's element order (see hasExactLayout). */
  exactLayout: (parameter: string) => boolean
  /** Retained activation → the tensor the backward pass reads in its place (see saved). */
  substitutes: ReadonlyMap<string, string>
}

/**
 * What a backward rule works with: the builder, the forward shapes at batch 1, which tensors take
 * a gradient, and the sum of the gradient contributions each tensor has received so far.
 */
export class GradientContext {
  readonly builder: GraphBuilder
  readonly #analysis: ModelAnalysis
  readonly #options: GradientContextOptions
  readonly #contributions = new Map<string, string[]>()

  constructor(builder: GraphBuilder, analysis: ModelAnalysis, options: GradientContextOptions) {
    this.builder = builder
    this.#analysis = analysis
    this.#options = options
  }

  /**
   * Whether the parameter's gradient must hold its values in the parameter's element order (it is
   * a graph output). When only its norm is output, it may permute the values within each output
   * channel (axis 0), e.g. a k×k conv's weight gradient in [O, kh, kw, I] order.
   */
  hasExactLayout(parameter: string): boolean {
    return this.#options.exactLayout(parameter)
  }

  /**
   * The tensor a rule reads for the forward value of `activation`: the activation itself, or the
   * substitute the caller retained for the backward pass (e.g. a fake-quantized copy). Rules read
   * activation values only through this; shapes and the forward pass keep the exact tensor.
   */
  saved(activation: string): string {
    return this.#options.substitutes.get(activation) ?? activation
  }

  /** Whether the backward pass reads a substitute for any of these activations. */
  hasSubstitute(...activations: readonly string[]): boolean {
    return activations.some((activation) => this.#options.substitutes.has(activation))
  }

  /** Whether the tensor is an activation on the path to the loss or a parameter (not the image). */
  needsGradient(tensor: string | undefined): tensor is string {
    return tensor !== undefined && tensor !== '' && this.#options.takesGradient.has(tensor)
  }

  /** Activations carry the batch on axis 0; parameters have fixed shapes. */
  isActivation(tensor: string): boolean {
    return this.#options.activations.has(tensor)
  }

  /** The tensor's shape at batch 1 (the batch dim of activations is dynamic in the graph). */
  shape(tensor: string): number[] {
    const shape =
      this.#analysis.inference.shapes.get(tensor) ??
      this.#analysis.ir.initializers.get(tensor)?.dims
    if (shape === undefined) throw new RangeError(`No inferred shape for tensor '${tensor}'.`)
    return [...shape]
  }

  /** The node that computes the tensor (undefined for inputs and initializers). */
  producer(tensor: string): GraphNode | undefined {
    return this.#analysis.ir.producers.get(tensor)
  }

  /** How many nodes read the tensor, plus one if it is a graph output. */
  readerCount(tensor: string): number {
    const isOutput = this.#analysis.ir.outputs.some((output) => output.name === tensor)
    return (this.#analysis.ir.consumers.get(tensor)?.length ?? 0) + (isOutput ? 1 : 0)
  }

  accumulate(tensor: string, gradient: string): void {
    const list = this.#contributions.get(tensor) ?? []
    list.push(gradient)
    this.#contributions.set(tensor, list)
  }

  /** ∂L/∂tensor: the sum of its contributions (one Sum node when there are several). */
  gradientOf(tensor: string): string | undefined {
    const list = this.#contributions.get(tensor)
    if (list === undefined || list.length === 0) return undefined
    if (list.length === 1) return list[0]
    const sum = this.emit('Sum', list, `${tensor}/Gradient/Sum`)
    this.#contributions.set(tensor, [sum])
    return sum
  }

  /** Appends one node with one output; `name` is the node name's base (made unique). */
  emit(
    opType: string,
    inputs: readonly string[],
    name: string,
    attributes: readonly AttributeProto[] = [],
  ): string {
    return emitSingle(this.builder, { opType, inputs, attributes }, { name })
  }

  /** A node name in the backward part of the graph, scoped under the forward node. */
  scope(node: GraphNode, part: string): string {
    return `${node.name}/Backward/${part}`
  }

  floatScalar(name: string, value: number): string {
    return this.builder.float32Constant(name, Float32Array.of(value), [])
  }
}
