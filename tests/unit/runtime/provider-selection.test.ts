import { describe, expect, it } from 'vitest'
import { selectProviders } from '../../../native-models/runtime/provider-selection.ts'
import { fakeBackend } from './helpers/fake-backend.ts'

const LINUX_BACKENDS = ['cpu', 'webgpu', 'cuda', 'tensorrt']
const WINDOWS_BACKENDS = ['cpu', 'dml', 'webgpu']

async function selectionError(requested: string, backend: ReturnType<typeof fakeBackend>) {
  const error: unknown = await selectProviders(requested, backend).then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(Error)
  return error as Error & { code: string }
}

describe('selectProviders', () => {
  it('refuses an explicit CUDA whose libraries fail to load, naming the provider and the fix', async () => {
    const backend = fakeBackend({
      platform: 'linux-x64',
      backends: LINUX_BACKENDS,
      failing: ['cuda'],
    })
    const error = await selectionError('cuda', backend)
    expect(error.code).toBe('PROVIDER_UNAVAILABLE')
    expect(error.message).toMatch(/^CUDA provider libraries are not installed or cannot load/)
    expect(error.message).toMatch(/Failed to load shared library/)
    expect(error.message).toMatch(/without ONNXRUNTIME_NODE_INSTALL=skip .* CUDA 12/)
    expect(error.message).toMatch(/\.$/)
  })

  it('falls back from CUDA to CPU under auto and says why', async () => {
    const backend = fakeBackend({
      platform: 'linux-x64',
      backends: LINUX_BACKENDS,
      failing: ['cuda'],
    })
    const selection = await selectProviders('auto', backend)
    expect(selection.provider).toBe('cpu')
    expect(selection.ortProviders).toEqual(['cpu'])
    expect(selection.attached).toEqual(['CPUExecutionProvider'])
    expect(selection.fallbackReason).toMatch(
      /^CUDA is unavailable \(.*Failed to load shared library\); running on CPU\.$/,
    )
  })

  it('picks CUDA under auto on Linux x64 when it loads, with CPU behind it', async () => {
    const backend = fakeBackend({ platform: 'linux-x64', backends: LINUX_BACKENDS })
    const selection = await selectProviders('auto', backend)
    expect(selection.provider).toBe('cuda')
    expect(selection.ortProviders).toEqual([{ name: 'cuda', deviceId: 0 }, 'cpu'])
    expect(selection.attached).toEqual(['CUDAExecutionProvider', 'CPUExecutionProvider'])
    expect(selection.fallbackReason).toBeNull()
  })

  it('picks DirectML under auto on Windows with memory patterns off and sequential execution', async () => {
    const backend = fakeBackend({ platform: 'win32-x64', backends: WINDOWS_BACKENDS })
    const selection = await selectProviders('auto', backend)
    expect(selection.provider).toBe('dml')
    expect(selection.sessionOptions).toEqual({
      enableMemPattern: false,
      executionMode: 'sequential',
    })
    expect(backend.calls[0]).toMatchObject({ enableMemPattern: false, executionMode: 'sequential' })
  })

  it('refuses DirectML on Linux and CUDA on Windows with the platform in the sentence', async () => {
    const linux = fakeBackend({ platform: 'linux-x64', backends: LINUX_BACKENDS })
    const windows = fakeBackend({ platform: 'win32-x64', backends: WINDOWS_BACKENDS })
    const dml = await selectionError('dml', linux)
    const cuda = await selectionError('cuda', windows)
    expect(dml.code).toBe('PROVIDER_UNAVAILABLE')
    expect(dml.message).toMatch(
      /DirectML .* win32-x64 .* this machine is linux-x64: choose 'auto' or 'cpu'\./,
    )
    expect(cuda.message).toMatch(/CUDA .* linux-x64, and this machine is win32-x64/)
    expect(linux.calls).toHaveLength(0)
  })

  it('runs auto on CPU where no GPU provider is shipped, and says so', async () => {
    const backend = fakeBackend({ platform: 'darwin-arm64', backends: ['cpu', 'coreml'] })
    const selection = await selectProviders('auto', backend)
    expect(selection.provider).toBe('cpu')
    expect(selection.fallbackReason).toBe(
      'No GPU execution provider is offered on darwin-arm64; running on CPU.',
    )
  })

  it('probes a provider once per backend and reuses the answer', async () => {
    const backend = fakeBackend({
      platform: 'linux-x64',
      backends: LINUX_BACKENDS,
      failing: ['cuda'],
    })
    await selectProviders('auto', backend)
    await selectProviders('auto', backend)
    await selectionError('cuda', backend)
    expect(backend.calls).toHaveLength(1)
  })

  it('uses CPU without probing anything when asked for cpu', async () => {
    const backend = fakeBackend({
      platform: 'linux-x64',
      backends: LINUX_BACKENDS,
      failing: ['cuda'],
    })
    const selection = await selectProviders('cpu', backend)
    expect(selection).toMatchObject({ requested: 'cpu', provider: 'cpu', fallbackReason: null })
    expect(backend.calls).toHaveLength(0)
  })

  it('refuses a provider name it does not know with INVALID_ARGUMENT', async () => {
    const backend = fakeBackend({ platform: 'linux-x64', backends: LINUX_BACKENDS })
    const error = await selectionError('tpu', backend)
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe("Execution provider 'tpu' is not one of auto, cuda, dml, cpu.")
  })
})
