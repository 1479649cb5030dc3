import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { decodedUrlPart } from './http-io.ts'

/** Same policy as renderer/index.html, sent as a header so it also covers non-HTML responses. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ')

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
}

const NOT_BUILT_PAGE =
  '<!doctype html><title>ResNet Workbench</title>' +
  '<p>The renderer is not built: run <code>npx electron-vite build</code>, then reload.</p>'

/** Serves the built renderer from `folder`; unknown paths fall back to index.html (one-page app). */
export async function serveStatic(
  response: ServerResponse,
  folder: string,
  urlPath: string,
): Promise<void> {
  const file = await existingFile(folder, urlPath)
  if (!file) return sendNotBuilt(response)
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
  })
  createReadStream(file).pipe(response)
}

async function existingFile(folder: string, urlPath: string): Promise<string | null> {
  const relative = normalize(decodedUrlPart(urlPath)).replace(/^[\\/]+/, '')
  const candidate = join(folder, relative)
  const isInFolder = candidate.startsWith(folder + sep)
  if (isInFolder && (await isFile(candidate))) return candidate
  const index = join(folder, 'index.html')
  return (await isFile(index)) ? index : null
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false
}

function sendNotBuilt(response: ServerResponse): void {
  response.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' })
  response.end(NOT_BUILT_PAGE)
}
