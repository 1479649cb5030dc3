import type { InferenceSession } from 'onnxruntime-node'
import { RuntimeError } from './errors.ts'

/**
 * Execution providers the runtime can be asked for. Only 'cpu' for now: 'cuda' and 'dml' come with
 * their load checks and fallback rules (DESIGN: a provider that cannot load is a clear error).
 */
export type ExecutionProviderName = 'cpu'

export const SUPPORTED_PROVIDERS: readonly ExecutionProviderName[] = ['cpu']

/** ORT's provider list, in order of preference; unknown names are refused, never skipped. */
export function toOrtProviders(
  names: readonly string[],
): InferenceSession.ExecutionProviderConfig[] {
  if (names.length === 0) {
    throw new RuntimeError('INVALID_ARGUMENT', 'At least one execution provider is needed.')
  }
  return names.map((name) => {
    if (!(SUPPORTED_PROVIDERS as readonly string[]).includes(name)) {
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `Execution provider '${name}' is not available; supported: ${SUPPORTED_PROVIDERS.join(', ')}.`,
      )
    }
    return name
  })
}
