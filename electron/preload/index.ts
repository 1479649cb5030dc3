import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { INVOKE_CHANNELS } from '../api/contract.ts'
import type { WorkbenchApi } from '../api/contract.ts'

const api: WorkbenchApi = {
  invoke: (channel, ...args) => {
    if (!Object.hasOwn(INVOKE_CHANNELS, channel)) throw new Error(`Unknown channel '${channel}'.`)
    return ipcRenderer.invoke(channel, ...args)
  },
  on: (event, listener) => {
    const forward = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]): void =>
      listener(payload)
    ipcRenderer.on(event, forward)
    return () => ipcRenderer.off(event, forward)
  },
}

contextBridge.exposeInMainWorld('workbench', api)
