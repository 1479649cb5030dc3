import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { InferenceSession, listSupportedBackends } from 'onnxruntime-node'

/**
 * The seam between provider selection and onnxruntime-node. CUDA and DirectML cannot run on the CI
 * machine, so tests substitute a backend whose provider fails to load, or that records the options
 * a DirectML session was given.
 */
export interface OrtBackend {
  /** `${process.platform}-${process.arch}`, e.g. 'linux-x64'. */
  readonly platform: string
  /** Provider names this onnxruntime-node build knows ('cpu', 'cuda', 'dml', ...). */
  listBackends(): readonly string[]
  createSession(
    model: Uint8Array,
    options: InferenceSession.SessionOptions,
  ): Promise<InferenceSession>
  /** Why a provider's shared library is known to be absent without loading it; null if unknown. */
  missingProviderLibrary?(provider: string): string | null
}

// onnxruntime-node's install script downloads the CUDA provider next to its binding; without it
// (ONNXRUNTIME_NODE_INSTALL=skip, offline installs) a load attempt only logs a C++ error.
function missingCudaLibrary(): string | null {
  if (process.platform !== 'linux') return null
  const binding = dirname(createRequire(import.meta.url).resolve('onnxruntime-node'))
  const folder = join(binding, '..', 'bin', 'napi-v6', process.platform, process.arch)
  const library = join(folder, 'libonnxruntime_providers_cuda.so')
  return existsSync(library) ? null : `libonnxruntime_providers_cuda.so is not in ${folder}`
}

export const onnxruntimeBackend: OrtBackend = {
  platform: `${process.platform}-${process.arch}`,
  listBackends: () => listSupportedBackends().map((backend) => backend.name),
  createSession: (model, options) => InferenceSession.create(model, options),
  missingProviderLibrary: (provider) => (provider === 'cuda' ? missingCudaLibrary() : null),
}
