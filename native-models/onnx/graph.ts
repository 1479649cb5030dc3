import type {
  AttributeProto,
  GraphProto,
  ModelProto,
  TensorProto,
  ValueInfoProto,
} from './proto.ts'

/** One node of the graph with its attributes indexed by name. */
export interface GraphNode {
  /** Position in topological order. */
  index: number
  /** The node's name, or `<OpType>_<index>` when the exporter left it empty. */
  name: string
  /** Whether `name` came from the file (exporters that name nodes carry module scopes). */
  isNamed: boolean
  opType: string
  /** '' for the default ai.onnx domain. */
  domain: string
  /** Input tensor names; '' marks an omitted optional input. */
  inputs: string[]
  outputs: string[]
  attributes: ReadonlyMap<string, AttributeProto>
}

export interface GraphIR {
  /** The default-domain (ai.onnx) opset; 0 when the model imports none. */
  opset: number
  nodes: GraphNode[]
  producers: ReadonlyMap<string, GraphNode>
  consumers: ReadonlyMap<string, GraphNode[]>
  initializers: ReadonlyMap<string, TensorProto>
  /** Graph inputs that are not initializers (the image, and weights of export_params=False). */
  inputs: ValueInfoProto[]
  outputs: ValueInfoProto[]
}

const DEFAULT_DOMAINS = new Set(['', 'ai.onnx'])

export function isDefaultDomain(domain: string | undefined): boolean {
  return DEFAULT_DOMAINS.has(domain ?? '')
}

function defaultOpset(model: ModelProto): number {
  const imports = model.opsetImport ?? []
  return imports.find((entry) => isDefaultDomain(entry.domain))?.version ?? 0
}

function toGraphNodes(graph: GraphProto): GraphNode[] {
  return (graph.node ?? []).map((node, index) => ({
    index,
    name: node.name || `${node.opType ?? 'Node'}_${index}`,
    isNamed: Boolean(node.name),
    opType: node.opType ?? '',
    domain: node.domain ?? '',
    inputs: node.input ?? [],
    outputs: node.output ?? [],
    attributes: new Map((node.attribute ?? []).map((a) => [a.name ?? '', a])),
  }))
}

/**
 * Kahn's algorithm, stable in file order: exporters usually sort already, but the spec allows any
 * order. Nodes reading a tensor nobody provides keep their file order at the end; shape
 * inference then names the missing tensor.
 */
function sortTopologically(nodes: GraphNode[], available: Set<string>): GraphNode[] {
  const pending = new Set(nodes)
  const ready = new Set(available)
  const sorted: GraphNode[] = []
  let progressed = true
  while (pending.size > 0 && progressed) {
    progressed = false
    for (const node of pending) {
      if (!node.inputs.every((name) => name === '' || ready.has(name))) continue
      node.outputs.forEach((name) => ready.add(name))
      sorted.push(node)
      pending.delete(node)
      progressed = true
    }
  }
  return [...sorted, ...pending].map((node, index) => ({ ...node, index }))
}

function indexGraph(nodes: GraphNode[]): {
  producers: Map<string, GraphNode>
  consumers: Map<string, GraphNode[]>
} {
  const producers = new Map<string, GraphNode>()
  const consumers = new Map<string, GraphNode[]>()
  for (const node of nodes) {
    node.outputs.forEach((name) => producers.set(name, node))
    for (const name of new Set(node.inputs)) {
      if (name === '') continue
      consumers.set(name, [...(consumers.get(name) ?? []), node])
    }
  }
  return { producers, consumers }
}

/** Indexes a decoded model's main graph: topological node order, producers and consumers. */
export function buildGraphIR(model: ModelProto): GraphIR {
  const graph = model.graph ?? {}
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]))
  const inputs = (graph.input ?? []).filter((input) => !initializers.has(input.name ?? ''))
  const available = new Set([...initializers.keys(), ...inputs.map((i) => i.name ?? '')])
  const nodes = sortTopologically(toGraphNodes(graph), available)
  return {
    opset: defaultOpset(model),
    nodes,
    ...indexGraph(nodes),
    initializers,
    inputs,
    outputs: graph.output ?? [],
  }
}

export function attributeInt(node: GraphNode, name: string, fallback: number): number {
  return node.attributes.get(name)?.i ?? fallback
}

export function attributeFloat(node: GraphNode, name: string, fallback: number): number {
  return node.attributes.get(name)?.f ?? fallback
}

export function attributeInts(node: GraphNode, name: string): number[] | undefined {
  const attribute = node.attributes.get(name)
  return attribute ? (attribute.ints ?? []) : undefined
}

export function attributeString(node: GraphNode, name: string, fallback: string): string {
  const bytes = node.attributes.get(name)?.s
  return bytes && bytes.length > 0 ? new TextDecoder().decode(bytes) : fallback
}

/** The declared dims of a graph input/output: numbers, symbols, or null when unspecified. */
export function declaredDims(info: ValueInfoProto): (number | string | null)[] | undefined {
  const dims = info.type?.tensorType?.shape?.dim
  if (!dims) return undefined
  return dims.map((dim) => {
    if (dim.dimValue !== undefined && dim.dimValue !== null && dim.dimValue > 0) return dim.dimValue
    return dim.dimParam ? dim.dimParam : null
  })
}

export function declaredElemType(info: ValueInfoProto): number {
  return info.type?.tensorType?.elemType ?? 0
}
