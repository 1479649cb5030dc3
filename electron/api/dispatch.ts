import { INVOKE_CHANNELS } from './contract/index.ts'
import type { InvokeChannel, InvokeMap, IpcResult } from './contract/index.ts'
import { checkArguments } from './channel-arguments.ts'
import { RequestError, toIpcError } from './errors.ts'

export type Handlers = {
  [C in InvokeChannel]: (...args: Parameters<InvokeMap[C]>) => Promise<ReturnType<InvokeMap[C]>>
}

/** Channels only a host can answer (dialogs, its folder browser, what host it is). */
export type HostChannel = 'host:info' | 'dialog:pick' | 'fs:list'
export type ServiceHandlers = Omit<Handlers, HostChannel>
export type HostHandlers = Pick<Handlers, HostChannel>

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && Object.hasOwn(INVOKE_CHANNELS, channel)
}

/** The one call path of every host: unknown channels and thrown errors come back as data. */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  args: unknown[],
): Promise<IpcResult<unknown>> {
  try {
    if (!isInvokeChannel(channel)) {
      throw new RequestError('INVALID_ARGUMENT', `Unknown channel '${String(channel)}'.`)
    }
    const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>
    return { ok: true, value: await handler(...checkArguments(channel, args)) }
  } catch (error) {
    return { ok: false, error: toIpcError(error) }
  }
}
