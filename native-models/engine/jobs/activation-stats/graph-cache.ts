import type { ModelSummary } from '../../../../electron/api/contract/index.ts'
import type { ActivationGraph } from '../../../surgery/activation-graph.ts'

/** A built statistics graph, encoded for ORT, with what the job needs to feed and read it. */
export interface PreparedActivationGraph {
  summary: ModelSummary
  graph: Pick<ActivationGraph, 'drawsInput' | 'taps'>
  bytes: Uint8Array
}

/**
 * Statistics graphs by (model sha256, requested taps): a repeated job skips decoding, surgery and
 * encoding. A ResNet50 graph holds its ~100 MB of weights, so only the last few are kept.
 */
export class ActivationGraphCache {
  readonly #capacity: number
  readonly #entries = new Map<string, Promise<PreparedActivationGraph>>()

  constructor(capacity = 2) {
    this.#capacity = capacity
  }

  get size(): number {
    return this.#entries.size
  }

  async get(
    modelSha256: string,
    tapKeys: readonly string[] | null,
    build: () => Promise<PreparedActivationGraph>,
  ): Promise<PreparedActivationGraph> {
    const key = `${modelSha256}:${tapKeys === null ? '*' : JSON.stringify(tapKeys)}`
    const entry = this.#entries.get(key) ?? build()
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#capacity) break
      this.#entries.delete(oldest)
    }
    try {
      return await entry
    } catch (error) {
      if (this.#entries.get(key) === entry) this.#entries.delete(key)
      throw error
    }
  }
}
