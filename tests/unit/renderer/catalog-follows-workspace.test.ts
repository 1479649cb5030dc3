import { afterAll, describe, expect, it } from 'vitest'
import { effectScope, nextTick } from 'vue'
import type { RunDetail, RunInfo, WorkbenchApi } from '../../../electron/api/contract/index.ts'

// A host that answers run:get with a run of that id and no checkpoints.
const host = {
  invoke: (channel: string, ...args: unknown[]) => {
    if (channel !== 'run:get') return Promise.resolve({ ok: true, value: [] })
    const id = args[0] as number
    return Promise.resolve({ ok: true, value: { id, name: `run ${id}`, checkpoints: [] } })
  },
  on: () => () => undefined,
} as unknown as WorkbenchApi
;(globalThis as { window?: unknown }).window = { workbench: host }
afterAll(() => delete (globalThis as { window?: unknown }).window)

const { useCatalog } = await import('../../../renderer/src/stores/catalog.ts')
const { workspace } = await import('../../../renderer/src/stores/workspace.ts')

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await nextTick()
}

describe('the catalog of run details', () => {
  it('keeps following imports after the component that first asked for it is gone', async () => {
    workspace.runs = [{ id: 1 } as RunInfo]
    const firstUser = effectScope()
    const catalog = firstUser.run(() => useCatalog())!
    await settle()
    expect(catalog.runs.value.map((r: RunDetail) => r.id)).toEqual([1])
    firstUser.stop()

    workspace.runs = [{ id: 1 } as RunInfo, { id: 2 } as RunInfo]
    workspace.version++
    await settle()
    expect(useCatalog().runs.value.map((r: RunDetail) => r.id)).toEqual([1, 2])
  })
})
