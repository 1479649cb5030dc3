import type {
  EventMap,
  InvokeChannel,
  InvokeMap,
  IpcResult,
  WorkbenchApi,
} from '../../../electron/api/contract/index.ts'

interface HttpFailure {
  ok: false
  error: { code: string; message: string }
}

/** HTTP-layer failures (401, 404, 413) become the same envelope the service returns. */
function toIpcFailure(status: number, body: HttpFailure | null): IpcResult<never> {
  const message = body?.error.message ?? `The web host answered HTTP ${status}.`
  return { ok: false, error: { code: status === 404 ? 'NOT_FOUND' : 'INTERNAL', message } }
}

async function invoke<C extends InvokeChannel>(
  channel: C,
  ...args: Parameters<InvokeMap[C]>
): Promise<IpcResult<ReturnType<InvokeMap[C]>>> {
  const response = await fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  })
  const body = (await response.json().catch(() => null)) as unknown
  if (response.status !== 200) return toIpcFailure(response.status, body as HttpFailure | null)
  return body as IpcResult<ReturnType<InvokeMap[C]>>
}

let events: EventSource | null = null

/** One EventSource for every listener; the session cookie authenticates it. */
function on<E extends keyof EventMap>(
  event: E,
  listener: (payload: EventMap[E]) => void,
): () => void {
  events ??= new EventSource('/api/events', { withCredentials: true })
  const forward = (message: MessageEvent<string>): void =>
    listener(JSON.parse(message.data) as EventMap[E])
  events.addEventListener(event, forward)
  return () => events?.removeEventListener(event, forward)
}

/** The web host (npm run serve) behind the same interface as the desktop preload. */
export const webHostApi: WorkbenchApi = { invoke, on }
