import { INVOKE_CHANNELS } from '../api/contract/index.ts'
import type { EventMap, IpcResult } from '../api/contract/index.ts'
import { dispatch } from '../api/dispatch.ts'
import type { Handlers } from '../api/dispatch.ts'

/** The part of Electron's ipcMain the binding uses (a fake in tests). */
export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}

/** The part of a WebContents that receives events. */
export interface EventTarget {
  send(channel: string, payload: unknown): void
  isDestroyed(): boolean
}

function untrusted(channel: string): IpcResult<never> {
  const message = `IPC call '${channel}' came from a frame that is not the workbench page: refused.`
  return { ok: false, error: { code: 'INVALID_ARGUMENT', message } }
}

/**
 * Binds every contract channel to `handlers`; each call answers an IpcResult (errors are data,
 * since Electron keeps only `message` of a thrown error). Returns the function that unbinds.
 */
export function bindIpc<E>(
  ipc: IpcMainLike<E>,
  handlers: Handlers,
  isTrusted: (event: E) => boolean,
): () => void {
  const channels = Object.keys(INVOKE_CHANNELS)
  for (const channel of channels) {
    ipc.handle(channel, (event, ...args) =>
      isTrusted(event) ? dispatch(handlers, channel, args) : Promise.resolve(untrusted(channel)),
    )
  }
  return () => {
    for (const channel of channels) ipc.removeHandler(channel)
  }
}

/** Sends a host event to every live renderer `targets()` yields. */
export function eventForwarder(
  targets: () => Iterable<EventTarget>,
): <E extends keyof EventMap>(event: E, payload: EventMap[E]) => void {
  return (event, payload) => {
    for (const target of targets()) if (!target.isDestroyed()) target.send(event, payload)
  }
}
