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
}

export const onnxruntimeBackend: OrtBackend = {
  platform: `${process.platform}-${process.arch}`,
  listBackends: () => listSupportedBackends().map((backend) => backend.name),
  createSession: (model, options) => InferenceSession.create(model, options),
}
