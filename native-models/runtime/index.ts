// The only module that imports onnxruntime-node (DESIGN: native-models/runtime).
export { createSession } from './session.ts'
export type { FeedTensor, OutputTensor, RuntimeSession, SessionOptions } from './session.ts'
export { SUPPORTED_PROVIDERS } from './providers.ts'
export type { ExecutionProviderName } from './providers.ts'
export { RuntimeError } from './errors.ts'
