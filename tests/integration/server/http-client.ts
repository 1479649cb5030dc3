import { request } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'

export interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

export interface RequestSpec {
  method?: string
  path: string
  headers?: Record<string, string>
  body?: string
}

/** node:http rather than fetch: tests need to send any Host header they like. */
export function send(port: number, spec: RequestSpec): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: spec.method ?? 'GET',
        path: spec.path,
        headers: spec.headers,
      },
      (incoming) => {
        const chunks: Buffer[] = []
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        )
      },
    )
    outgoing.on('error', reject)
    outgoing.end(spec.body)
  })
}

export interface EventReader {
  /** Resolves with the data of the first event of this name. */
  next(event: string): Promise<unknown>
  status: number
  headers: Record<string, string | string[] | undefined>
  close(): void
}

/** Opens the event stream and parses `event:`/`data:` frames as they arrive. */
export function openEvents(port: number, headers: Record<string, string>): Promise<EventReader> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path: '/api/events', headers },
      (incoming) => {
        let buffer = ''
        const waiters: { event: string; resolve: (data: unknown) => void }[] = []
        incoming.setEncoding('utf8')
        incoming.on('data', (chunk: string) => {
          buffer += chunk
          const frames = buffer.split('\n\n')
          buffer = frames.pop() ?? ''
          for (const frame of frames) deliver(frame, waiters)
        })
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          next: (event) => new Promise((done) => waiters.push({ event, resolve: done })),
          close: () => outgoing.destroy(),
        })
      },
    )
    outgoing.on('error', reject)
    outgoing.end()
  })
}

function deliver(
  frame: string,
  waiters: { event: string; resolve: (data: unknown) => void }[],
): void {
  const event = /^event: (.+)$/m.exec(frame)?.[1]
  const data = /^data: (.+)$/m.exec(frame)?.[1]
  const index = waiters.findIndex((w) => w.event === event)
  if (event === undefined || data === undefined || index < 0) return
  waiters.splice(index, 1)[0].resolve(JSON.parse(data))
}
