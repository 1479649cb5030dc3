import { describe, expect, it } from 'vitest'
import type { ProviderReport } from '../../../electron/api/contract/index.ts'
import { withScatterPlacement } from '../../../native-models/runtime/gradient-placement.ts'

const report = (attached: string[], fallbackReason: string | null = null): ProviderReport => ({
  requested: 'auto',
  attached,
  nodePlacement: {},
  fallbackReason,
})

describe('withScatterPlacement', () => {
  it('says that the MaxPool scatters ran on CPU when DirectML is attached', () => {
    const placed = withScatterPlacement(report(['DmlExecutionProvider', 'CPUExecutionProvider']), 1)
    expect(placed.fallbackReason).toBe(
      '1 ScatterElements(reduction=add) node of the MaxPool backward ran on CPU: DirectML has no kernel for a scatter with a reduction.',
    )
  })

  it('keeps an earlier fallback reason in front of the note', () => {
    const placed = withScatterPlacement(report(['DmlExecutionProvider'], 'Earlier.'), 2)
    expect(placed.fallbackReason).toMatch(/^Earlier\. 2 ScatterElements\(reduction=add\) nodes /)
  })

  it('leaves CPU and CUDA reports, and graphs without MaxPool, as they are', () => {
    const cpu = report(['CPUExecutionProvider'])
    const cuda = report(['CUDAExecutionProvider', 'CPUExecutionProvider'])
    const dml = report(['DmlExecutionProvider', 'CPUExecutionProvider'])
    expect(withScatterPlacement(cpu, 1)).toBe(cpu)
    expect(withScatterPlacement(cuda, 1)).toBe(cuda)
    expect(withScatterPlacement(dml, 0)).toBe(dml)
  })
})
