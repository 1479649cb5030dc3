import type { InferenceSession } from 'onnxruntime-node'
import type { ExecutionProvider } from '../../electron/api/contract/index.ts'
import { ortReason, RuntimeError } from './errors.ts'
import type { OrtBackend } from './ort-backend.ts'
import {
  autoCandidate,
  CPU_ORT_NAME,
  EXECUTION_PROVIDERS,
  isExecutionProvider,
  PROVIDER_SPECS,
} from './provider-catalog.ts'
import type { ConcreteProvider } from './provider-catalog.ts'
import { probeModelBytes } from './probe-model.ts'

/** What a session will be created with, and what the result's provenance says about it. */
export interface ProviderSelection {
  requested: ExecutionProvider
  provider: ConcreteProvider
  ortProviders: InferenceSession.ExecutionProviderConfig[]
  sessionOptions: Partial<InferenceSession.SessionOptions>
  /** ORT names of the providers the session holds; CPU is always there for unsupported nodes. */
  attached: string[]
  /** Why `auto` ended up on CPU; null when nothing fell back. */
  fallbackReason: string | null
}

type ProbeResult = { isAvailable: true } | { isAvailable: false; reason: string; cause: unknown }

const probes = new WeakMap<OrtBackend, Map<ConcreteProvider, Promise<ProbeResult>>>()

/**
 * Resolves `auto | cuda | dml | cpu` to providers that load on this machine. An explicit GPU
 * provider that cannot load is a PROVIDER_UNAVAILABLE error; `auto` falls back to CPU and says why.
 */
export async function selectProviders(
  requested: string,
  backend: OrtBackend,
): Promise<ProviderSelection> {
  if (!isExecutionProvider(requested)) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `Execution provider '${requested}' is not one of ${EXECUTION_PROVIDERS.join(', ')}.`,
    )
  }
  if (requested === 'auto') return selectAuto(backend)
  if (requested === 'cpu') return selection('cpu', 'cpu', null)
  const unavailable = await whyUnavailable(requested, backend)
  if (unavailable !== null) throw unavailableError(requested, backend, unavailable)
  return selection(requested, requested, null)
}

async function selectAuto(backend: OrtBackend): Promise<ProviderSelection> {
  const candidate = autoCandidate(backend.platform)
  if (candidate === null) {
    const reason = `No GPU execution provider is offered on ${backend.platform}; running on CPU.`
    return selection('auto', 'cpu', reason)
  }
  const unavailable = await whyUnavailable(candidate, backend)
  if (unavailable === null) return selection('auto', candidate, null)
  const label = PROVIDER_SPECS[candidate].label
  return selection(
    'auto',
    'cpu',
    `${label} is unavailable (${unavailable.reason}); running on CPU.`,
  )
}

function selection(
  requested: ExecutionProvider,
  provider: ConcreteProvider,
  fallbackReason: string | null,
): ProviderSelection {
  const spec = PROVIDER_SPECS[provider]
  const isCpu = provider === 'cpu'
  return {
    requested,
    provider,
    ortProviders: isCpu ? ['cpu'] : [spec.config, 'cpu'],
    sessionOptions: spec.sessionOptions,
    attached: isCpu ? [CPU_ORT_NAME] : [spec.ortName, CPU_ORT_NAME],
    fallbackReason,
  }
}

async function whyUnavailable(
  provider: ConcreteProvider,
  backend: OrtBackend,
): Promise<{ reason: string; cause: unknown } | null> {
  const spec = PROVIDER_SPECS[provider]
  if (!spec.platforms.includes(backend.platform)) {
    return { reason: `not shipped for ${backend.platform}`, cause: undefined }
  }
  if (!backend.listBackends().includes(provider)) {
    return { reason: 'not in this onnxruntime-node build', cause: undefined }
  }
  const missing = backend.missingProviderLibrary?.(provider) ?? null
  if (missing !== null) return { reason: missing, cause: undefined }
  const result = await probe(provider, backend)
  return result.isAvailable ? null : result
}

/** Loads the provider once per backend on a one-node model; later sessions reuse the answer. */
function probe(provider: ConcreteProvider, backend: OrtBackend): Promise<ProbeResult> {
  let cache = probes.get(backend)
  if (cache === undefined)
    probes.set(backend, (cache = new Map<ConcreteProvider, Promise<ProbeResult>>()))
  let result = cache.get(provider)
  if (result === undefined) {
    result = runProbe(provider, backend)
    cache.set(provider, result)
  }
  return result
}

async function runProbe(provider: ConcreteProvider, backend: OrtBackend): Promise<ProbeResult> {
  const spec = PROVIDER_SPECS[provider]
  try {
    const session = await backend.createSession(probeModelBytes(), {
      ...spec.sessionOptions,
      executionProviders: [spec.config],
      // ORT logs a failed provider load at error level before throwing; the thrown error is enough.
      logSeverityLevel: 4,
    })
    await session.release()
    return { isAvailable: true }
  } catch (cause) {
    return { isAvailable: false, reason: ortReason(cause), cause }
  }
}

function unavailableError(
  provider: ConcreteProvider,
  backend: OrtBackend,
  unavailable: { reason: string; cause: unknown },
): RuntimeError {
  const spec = PROVIDER_SPECS[provider]
  const message = spec.platforms.includes(backend.platform)
    ? `${spec.label} provider libraries are not installed or cannot load (${unavailable.reason}): ${spec.fix}.`
    : `The ${spec.label} execution provider is only shipped for ${spec.platforms.join(' and ')}, and this machine is ${backend.platform}: choose 'auto' or 'cpu'.`
  return new RuntimeError('PROVIDER_UNAVAILABLE', message, { cause: unavailable.cause })
}
