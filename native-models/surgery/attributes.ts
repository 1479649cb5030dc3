import { AttributeType } from '../onnx/proto.ts'
import type { AttributeProto, GraphProto, NodeProto, TensorProto } from '../onnx/proto.ts'

// Explicit constructors, because a JS number cannot say whether it is an INT or a FLOAT attribute.

export function intAttribute(name: string, value: number): AttributeProto {
  return { name, type: AttributeType.INT, i: value }
}

export function intsAttribute(name: string, values: readonly number[]): AttributeProto {
  return { name, type: AttributeType.INTS, ints: [...values] }
}

export function floatAttribute(name: string, value: number): AttributeProto {
  return { name, type: AttributeType.FLOAT, f: value }
}

export function floatsAttribute(name: string, values: readonly number[]): AttributeProto {
  return { name, type: AttributeType.FLOATS, floats: [...values] }
}

export function stringAttribute(name: string, value: string): AttributeProto {
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) }
}

export function tensorAttribute(name: string, tensor: TensorProto): AttributeProto {
  return { name, type: AttributeType.TENSOR, t: tensor }
}

export function graphAttribute(name: string, graph: GraphProto): AttributeProto {
  return { name, type: AttributeType.GRAPH, g: graph }
}

export function findAttribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute?.find((attribute) => attribute.name === name)
}

export function readIntAttribute(node: NodeProto, name: string, fallback: number): number {
  return findAttribute(node, name)?.i ?? fallback
}

export function readIntsAttribute(node: NodeProto, name: string): number[] | undefined {
  return findAttribute(node, name)?.ints
}

export function readStringAttribute(node: NodeProto, name: string): string | undefined {
  const bytes = findAttribute(node, name)?.s
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes)
}

/** A copy of the node without the named attributes (the node itself is left untouched). */
export function withoutAttributes(node: NodeProto, names: readonly string[]): NodeProto {
  const attribute = (node.attribute ?? []).filter((a) => !names.includes(a.name ?? ''))
  return { ...node, attribute }
}
