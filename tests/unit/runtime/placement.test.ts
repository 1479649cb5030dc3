import { describe, expect, it } from 'vitest'
import { countNodePlacement } from '../../../native-models/runtime/placement.ts'

function kernel(name: string, provider: string): object {
  return { cat: 'Node', ph: 'X', name: `${name}_kernel_time`, args: { op_name: 'Conv', provider } }
}

describe('countNodePlacement', () => {
  it('counts each node once under the provider that ran its kernel', () => {
    const trace = [
      { cat: 'Session', name: 'model_loading_uri', args: {} },
      kernel('/conv1/Conv', 'DmlExecutionProvider'),
      { cat: 'Node', name: '/conv1/Conv_fence_before', args: {} },
      kernel('/layer1/Add', 'DmlExecutionProvider'),
      kernel('/grad/ScatterElements', 'CPUExecutionProvider'),
      kernel('/conv1/Conv', 'DmlExecutionProvider'),
    ]
    expect(countNodePlacement(trace)).toEqual({
      DmlExecutionProvider: 2,
      CPUExecutionProvider: 1,
    })
  })

  it('ignores events without a provider and returns an empty placement for an empty trace', () => {
    expect(countNodePlacement([{ cat: 'Node', name: 'x_kernel_time', args: {} }])).toEqual({})
    expect(countNodePlacement([])).toEqual({})
  })

  it('refuses a trace that is not an array of events', () => {
    expect(() => countNodePlacement({ traceEvents: [] })).toThrow(TypeError)
  })
})
