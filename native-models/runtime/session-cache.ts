import { dirname } from 'node:path'
import { ModelFingerprints } from './model-fingerprint.ts'
import { createSession } from './session.ts'
import type { RuntimeSession, SessionOptions } from './session.ts'
import { defaultIntraOpThreads } from './threads.ts'

export type OpenSession = (model: Uint8Array, options: SessionOptions) => Promise<RuntimeSession>

/** A session borrowed from the cache; give it back with `release()`, never `session.release()`. */
export interface SessionLease {
  session: RuntimeSession
  /** true when an earlier acquire created it. */
  wasCached: boolean
  /** Resolves once any eviction this return allowed has released its session. */
  release(): Promise<void>
}

interface Entry {
  key: string
  session: Promise<RuntimeSession>
  leases: number
  lastUsed: number
}

/**
 * Sessions keyed by (sha256 of the model bytes, provider, options); a model's external data file
 * is not hashed, so rewriting only `<file>.data` needs `clear()`. Creating a ResNet50 session
 * takes 0.2–0.9 s and holds ~100 MB, so a few are kept; the least recently used one that no job
 * holds is released when the cache is over capacity.
 */
export class SessionCache {
  readonly #capacity: number
  readonly #open: OpenSession
  readonly #entries = new Map<string, Entry>()
  readonly #fingerprints = new ModelFingerprints()
  #clock = 0

  constructor(options: { capacity?: number; open?: OpenSession } = {}) {
    this.#capacity = options.capacity ?? 3
    this.#open = options.open ?? createSession
  }

  get size(): number {
    return this.#entries.size
  }

  /** Opens (or reuses) a session for a model path or bytes. */
  async acquire(model: string | Uint8Array, options: SessionOptions = {}): Promise<SessionLease> {
    const identified = await this.#fingerprints.identify(model)
    const resolved = resolveOptions(model, options)
    const key = `${identified.sha256}:${optionsKey(resolved)}`
    let entry = this.#entries.get(key)
    const wasCached = entry !== undefined
    if (entry === undefined) {
      const session = identified.read().then((bytes) => this.#open(bytes, resolved))
      entry = { key, session, leases: 0, lastUsed: 0 }
      this.#entries.set(key, entry)
    }
    entry.leases += 1
    entry.lastUsed = ++this.#clock
    void this.#evictOverCapacity()
    try {
      const session = await entry.session
      return { session, wasCached, release: once(() => this.#giveBack(entry)) }
    } catch (error) {
      this.#entries.delete(key)
      throw error
    }
  }

  /** Releases every session; leases still out keep working until the process ends. */
  async clear(): Promise<void> {
    const entries = [...this.#entries.values()]
    this.#entries.clear()
    await Promise.all(entries.map((entry) => releaseQuietly(entry)))
  }

  #giveBack(entry: Entry): Promise<void> {
    entry.leases -= 1
    return this.#evictOverCapacity()
  }

  async #evictOverCapacity(): Promise<void> {
    const idle = [...this.#entries.values()]
      .filter((entry) => entry.leases === 0)
      .sort((a, b) => a.lastUsed - b.lastUsed)
    const excess = this.#entries.size - this.#capacity
    const evicted = idle.slice(0, Math.max(0, excess))
    for (const entry of evicted) this.#entries.delete(entry.key)
    await Promise.all(evicted.map((entry) => releaseQuietly(entry)))
  }
}

function resolveOptions(model: string | Uint8Array, options: SessionOptions): SessionOptions {
  const externalDataFolder =
    options.externalDataFolder ?? (typeof model === 'string' ? dirname(model) : undefined)
  return {
    provider: options.provider ?? 'cpu',
    intraOpNumThreads: options.intraOpNumThreads ?? defaultIntraOpThreads(),
    recordPlacement: options.recordPlacement ?? true,
    memoryPattern: options.memoryPattern ?? true,
    ...(externalDataFolder === undefined ? {} : { externalDataFolder }),
  }
}

function optionsKey(options: SessionOptions): string {
  return JSON.stringify(Object.entries(options).sort(([a], [b]) => a.localeCompare(b)))
}

function once(action: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | null = null
  return () => (result ??= action())
}

async function releaseQuietly(entry: Entry): Promise<void> {
  const session = await entry.session.catch(() => null)
  await session?.release()
}
