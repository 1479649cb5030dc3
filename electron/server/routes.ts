import type { IncomingMessage, ServerResponse } from 'node:http'
import { isInvokeChannel, dispatch } from '../api/dispatch.ts'
import type { Handlers } from '../api/dispatch.ts'
import type { EventStream } from './event-stream.ts'
import type { FolderBrowser } from './folder-browser.ts'
import { HttpError, readBody, sendJson } from './http-io.ts'

export interface RouteContext {
  request: IncomingMessage
  response: ServerResponse
  url: URL
  handlers: Handlers
  events: EventStream
  folders: FolderBrowser
  bodyLimitBytes: number
}

/** `POST /api/invoke/:channel` with a JSON array of arguments → the service's IpcResult. */
export async function invokeRoute(context: RouteContext, channel: string): Promise<void> {
  if (context.request.method !== 'POST') throw methodNotAllowed('POST')
  if (!isInvokeChannel(channel)) {
    throw new HttpError(404, 'NOT_FOUND', `Unknown channel '${channel}'.`)
  }
  const args = parseArgs(await readBody(context.request, context.bodyLimitBytes))
  sendJson(context.response, 200, await dispatch(context.handlers, channel, args))
}

function parseArgs(body: string): unknown[] {
  let args: unknown
  try {
    args = body.trim() === '' ? [] : JSON.parse(body)
  } catch {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'The request body is not JSON: send an array of arguments.',
    )
  }
  if (!Array.isArray(args)) {
    throw new HttpError(400, 'BAD_REQUEST', 'The request body must be a JSON array of arguments.')
  }
  return args
}

/** `GET /api/events`: server-sent events until the client goes away. */
export function eventsRoute(context: RouteContext): void {
  if (context.request.method !== 'GET') throw methodNotAllowed('GET')
  context.events.attach(context.response)
}

/** `GET /api/fs/list?path=`: a folder inside the allowed roots, or the roots when no path. */
export async function folderListRoute(context: RouteContext): Promise<void> {
  if (context.request.method !== 'GET') throw methodNotAllowed('GET')
  const listing = await context.folders.list(context.url.searchParams.get('path'))
  sendJson(context.response, 200, { ok: true, value: listing })
}

function methodNotAllowed(allowed: string): HttpError {
  return new HttpError(405, 'METHOD_NOT_ALLOWED', `Only ${allowed} is allowed here.`)
}
