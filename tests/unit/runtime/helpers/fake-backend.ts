import type { InferenceSession } from 'onnxruntime-node'
import type { OrtBackend } from '../../../../native-models/runtime/ort-backend.ts'

export interface FakeBackend extends OrtBackend {
  /** Options of every createSession call, probes included. */
  readonly calls: InferenceSession.SessionOptions[]
}

function providerNames(options: InferenceSession.SessionOptions): string[] {
  return (options.executionProviders ?? []).map((p) => (typeof p === 'string' ? p : p.name))
}

/**
 * A backend for `platform` whose `failing` providers throw the way onnxruntime-node does when a
 * provider library is missing; sessions of working providers come from `delegate` on CPU.
 */
export function fakeBackend(options: {
  platform: string
  backends: readonly string[]
  failing?: readonly string[]
  delegate?: OrtBackend
}): FakeBackend {
  const calls: InferenceSession.SessionOptions[] = []
  return {
    platform: options.platform,
    calls,
    listBackends: () => options.backends,
    createSession: async (model, sessionOptions) => {
      calls.push(sessionOptions)
      const failing = providerNames(sessionOptions).find((p) => options.failing?.includes(p))
      if (failing !== undefined) {
        throw new Error(
          `OrtSessionOptionsAppendExecutionProvider_${failing}: Failed to load shared library`,
        )
      }
      if (options.delegate === undefined) return { release: async () => {} } as InferenceSession
      return options.delegate.createSession(model, {
        ...sessionOptions,
        executionProviders: ['cpu'],
      })
    },
  }
}
