import type { GraphProto } from '../onnx/proto.ts'

/**
 * Every node and tensor name in a graph, so that added names never collide. Node names and tensor
 * names are separate namespaces in ONNX, but keeping them disjoint makes taps unambiguous.
 */
export class NameRegistry {
  readonly #used = new Set<string>()

  constructor(graph: GraphProto) {
    const tensorLists = [graph.input, graph.output, graph.valueInfo, graph.initializer]
    for (const list of tensorLists) for (const item of list ?? []) this.claim(item.name ?? '')
    for (const node of graph.node ?? []) {
      this.claim(node.name ?? '')
      for (const name of [...(node.input ?? []), ...(node.output ?? [])]) this.claim(name)
    }
  }

  has(name: string): boolean {
    return this.#used.has(name)
  }

  claim(name: string): void {
    if (name !== '') this.#used.add(name)
  }

  /** `base` itself when free, else `base_1`, `base_2`, … (the torch exporter's suffix style). */
  fresh(base: string): string {
    let candidate = base
    for (let suffix = 1; this.#used.has(candidate) || candidate === ''; suffix += 1) {
      candidate = `${base}_${suffix}`
    }
    this.#used.add(candidate)
    return candidate
  }
}
