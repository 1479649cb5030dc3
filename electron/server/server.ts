import { join } from 'node:path'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EngineClient } from '../../native-models/engine/engine-client.ts'
import type { EnginePort } from '../api/job-manager.ts'
import { WorkbenchService, serviceHandlers } from '../api/service.ts'
import {
  assertAuthorized,
  assertLocalOrigin,
  createToken,
  isSameToken,
  sessionCookie,
} from './auth.ts'
import { EventStream } from './event-stream.ts'
import { FolderBrowser } from './folder-browser.ts'
import { PathPolicy, withPathPolicy } from './path-policy.ts'
import { HttpError, decodedUrlPart, sendHttpError } from './http-io.ts'
import { eventsRoute, folderListRoute, invokeRoute } from './routes.ts'
import type { RouteContext } from './routes.ts'
import { serveStatic } from './static-files.ts'
import { webHostHandlers } from './host-handlers.ts'
import type { RecentWorkspaces } from '../api/recent-workspaces.ts'

export const HOST = '127.0.0.1'
const BODY_LIMIT_BYTES = 1024 * 1024

export interface ServerOptions {
  /** 0 picks a free port. */
  port: number
  workspace: string
  /** Folders the directory browser may show. */
  roots: string[]
  /** The built renderer (out/renderer). */
  rendererFolder: string
  /** Default: a forked engine process, started on the first job. */
  engine?: () => EnginePort
  bodyLimitBytes?: number
  /** Default: a random token. */
  token?: string
  /** Where opened workspaces are remembered; default: nowhere (tests). */
  recent?: RecentWorkspaces
}

export interface WorkbenchServer {
  port: number
  token: string
  /** The URL to open: it carries the token once, the page then lives on a cookie. */
  url: string
  service: WorkbenchService
  events: EventStream
  close(): Promise<void>
}

/** The workbench service over HTTP and server-sent events, on 127.0.0.1 only. */
export async function startServer(options: ServerOptions): Promise<WorkbenchServer> {
  const token = options.token ?? createToken()
  const events = new EventStream()
  let engine: EngineClient | null = null
  const service = new WorkbenchService(options.workspace, {
    onWorkspaceOpened: (folder) => options.recent?.remember(folder),
    engine: options.engine ?? (() => (engine ??= new EngineClient())),
    onJobChange: (job) => events.publish('job:progress', job),
  })
  const folders = new FolderBrowser(options.roots)
  const base = {
    handlers: withPathPolicy(
      {
        // The example goes where this host may reopen it: inside its first root.
        ...serviceHandlers(service, () => join(options.roots[0], 'resnet-workbench-example')),
        ...webHostHandlers(folders, options.recent),
      },
      new PathPolicy(options.roots),
    ),
    events,
    folders,
    bodyLimitBytes: options.bodyLimitBytes ?? BODY_LIMIT_BYTES,
  }
  const server = createServer((request, response) => {
    const port = (server.address() as AddressInfo).port
    void handle({ ...base, request, response, url: requestUrl(request) }, port, token, options)
  })
  const port = await listen(server, options.port)
  const close = async (): Promise<void> => {
    events.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    service.close()
    engine?.dispose()
  }
  const url = `http://${HOST}:${port}/?token=${token}`
  return { port, token, url, service, events, close }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, HOST, () => resolve((server.address() as AddressInfo).port))
  })
}

function requestUrl(request: IncomingMessage): URL {
  return new URL(request.url ?? '/', `http://${HOST}`)
}

async function handle(
  context: RouteContext,
  port: number,
  token: string,
  options: ServerOptions,
): Promise<void> {
  try {
    assertLocalOrigin(context.request, port)
    if (isPageOpenWithToken(context, token)) return redirectWithCookie(context, port, token)
    assertAuthorized(context.request, port, token)
    await route(context, options.rendererFolder)
  } catch (error) {
    sendFailure(context.response, error)
  }
}

async function route(context: RouteContext, rendererFolder: string): Promise<void> {
  const path = context.url.pathname
  const invoke = /^\/api\/invoke\/([^/]+)$/.exec(path)
  if (invoke) return invokeRoute(context, decodedUrlPart(invoke[1]))
  if (path === '/api/events') return eventsRoute(context)
  if (path === '/api/fs/list') return folderListRoute(context)
  if (path.startsWith('/api/')) throw new HttpError(404, 'NOT_FOUND', `No route '${path}'.`)
  return serveStatic(context.response, rendererFolder, path)
}

function isPageOpenWithToken(context: RouteContext, token: string): boolean {
  const presented = context.url.searchParams.get('token')
  const isPage = context.request.method === 'GET' && !context.url.pathname.startsWith('/api/')
  return isPage && presented !== null && isSameToken(presented, token)
}

/** Trades the URL's token for a cookie and drops it from the address bar (and history). */
function redirectWithCookie(context: RouteContext, port: number, token: string): void {
  context.url.searchParams.delete('token')
  const location = context.url.pathname + context.url.search
  context.response.writeHead(303, { 'Set-Cookie': sessionCookie(port, token), Location: location })
  context.response.end()
}

function sendFailure(response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.destroy()
  if (error instanceof HttpError) return sendHttpError(response, error)
  const message = error instanceof Error ? error.message : String(error)
  sendHttpError(response, new HttpError(500, 'INTERNAL', `The server failed: ${message}`))
}
