import type {
  ErrorCode,
  EventMap,
  InvokeChannel,
  InvokeMap,
  WorkbenchApi,
} from '../../../electron/api/contract/index.ts'
import { webHostApi } from './web-host.ts'

export class AppError extends Error {
  override readonly name = 'AppError'
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

/** The desktop preload when present, else the web host that served this page. */
function host(): WorkbenchApi {
  return window.workbench ?? webHostApi
}

/** Calls the service on whichever host runs the renderer; failures throw an AppError. */
export async function call<C extends InvokeChannel>(
  channel: C,
  ...args: Parameters<InvokeMap[C]>
): Promise<ReturnType<InvokeMap[C]>> {
  const result = await host().invoke(channel, ...args)
  if (!result.ok) throw new AppError(result.error.code, result.error.message)
  return result.value
}

/** Listens to a host event; returns the function that stops listening. */
export function subscribe<E extends keyof EventMap>(
  event: E,
  listener: (payload: EventMap[E]) => void,
): () => void {
  return host().on(event, listener)
}
