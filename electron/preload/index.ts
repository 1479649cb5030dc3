import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { INVOKE_CHANNELS } from '../api/contract/index.ts'
import type { EventMap, WorkbenchApi } from '../api/contract/index.ts'

const EVENTS = { 'job:progress': true, 'menu:action': true } as const satisfies Record<
  keyof EventMap,
  true
>

const api: WorkbenchApi = {
  invoke: (channel, ...args) => {
    if (!Object.hasOwn(INVOKE_CHANNELS, channel)) throw new Error(`Unknown channel '${channel}'.`)
    return ipcRenderer.invoke(channel, ...args)
  },
  on: (event, listener) => {
    if (!Object.hasOwn(EVENTS, event)) throw new Error(`Unknown event '${event}'.`)
    // The renderer gets the payload only, never the IpcRendererEvent (it carries `sender`).
    const forward = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]): void =>
      listener(payload)
    ipcRenderer.on(event, forward)
    return () => ipcRenderer.off(event, forward)
  },
}

contextBridge.exposeInMainWorld('workbench', api)
