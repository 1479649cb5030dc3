import type { InferenceSession } from 'onnxruntime-node'
import type { ExecutionProvider } from '../../electron/api/contract/index.ts'

export type ConcreteProvider = Exclude<ExecutionProvider, 'auto'>

export const EXECUTION_PROVIDERS: readonly ExecutionProvider[] = ['auto', 'cuda', 'dml', 'cpu']

export interface ProviderSpec {
  label: string
  /** The name ORT gives the provider in profiles and logs. */
  ortName: string
  config: InferenceSession.ExecutionProviderConfig
  sessionOptions: Partial<InferenceSession.SessionOptions>
  /** The platforms onnxruntime-node ships this provider for. */
  platforms: readonly string[]
  /** What to do when it does not load, as the end of a sentence. */
  fix: string
}

export const CPU_ORT_NAME = 'CPUExecutionProvider'

export const PROVIDER_SPECS: Record<ConcreteProvider, ProviderSpec> = {
  cuda: {
    label: 'CUDA',
    ortName: 'CUDAExecutionProvider',
    config: { name: 'cuda', deviceId: 0 },
    sessionOptions: {},
    platforms: ['linux-x64'],
    fix: "run npm install without ONNXRUNTIME_NODE_INSTALL=skip on a Linux x64 machine with CUDA 12 and cuDNN 9, or choose 'cpu'",
  },
  dml: {
    label: 'DirectML',
    ortName: 'DmlExecutionProvider',
    config: { name: 'dml', deviceId: 0 },
    // DirectML cannot run with memory patterns or parallel execution (ORT DirectML EP docs).
    sessionOptions: { enableMemPattern: false, executionMode: 'sequential' },
    platforms: ['win32-x64', 'win32-arm64'],
    fix: "update the driver of a DirectX 12 capable GPU, or choose 'cpu'",
  },
  cpu: {
    label: 'CPU',
    ortName: CPU_ORT_NAME,
    config: 'cpu',
    sessionOptions: {},
    platforms: [],
    fix: '',
  },
}

/** The GPU provider `auto` tries first on a platform: CUDA on Linux x64, DirectML on Windows. */
export function autoCandidate(platform: string): ConcreteProvider | null {
  if (platform === 'linux-x64') return 'cuda'
  if (platform.startsWith('win32-')) return 'dml'
  return null
}

export function isExecutionProvider(name: string): name is ExecutionProvider {
  return (EXECUTION_PROVIDERS as readonly string[]).includes(name)
}
