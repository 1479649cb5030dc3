import { DATA_HEADERS } from './http-io.ts'
import type { ServerResponse } from 'node:http'
import type { EventMap } from '../api/contract/index.ts'

const HEARTBEAT_MS = 15_000

/** Server-sent events to every open EventSource; each client is dropped when it disconnects. */
export class EventStream {
  readonly #clients = new Set<ServerResponse>()
  readonly #heartbeat: ReturnType<typeof setInterval>

  constructor(heartbeatMs: number = HEARTBEAT_MS) {
    // A comment line keeps proxies and idle timeouts from closing a quiet stream.
    this.#heartbeat = setInterval(() => this.#write(': heartbeat\n\n'), heartbeatMs)
    this.#heartbeat.unref()
  }

  get clientCount(): number {
    return this.#clients.size
  }

  attach(response: ServerResponse): void {
    response.writeHead(200, {
      ...DATA_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    })
    response.write(': connected\n\n')
    this.#clients.add(response)
    response.on('close', () => this.#clients.delete(response))
  }

  publish<E extends keyof EventMap>(event: E, payload: EventMap[E]): void {
    this.#write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`)
  }

  close(): void {
    clearInterval(this.#heartbeat)
    for (const client of this.#clients) client.end()
    this.#clients.clear()
  }

  #write(text: string): void {
    for (const client of this.#clients) client.write(text)
  }
}
