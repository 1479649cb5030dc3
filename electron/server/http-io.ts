import type { IncomingMessage, ServerResponse } from 'node:http'

/** Failures of the HTTP layer itself; domain failures travel inside an IpcResult with status 200. */
export type HttpErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'MISDIRECTED'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'METHOD_NOT_ALLOWED'
  | 'INTERNAL'

export class HttpError extends Error {
  override readonly name = 'HttpError'
  readonly status: number
  readonly code: HttpErrorCode

  constructor(status: number, code: HttpErrorCode, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

/**
 * Answers that are data, never a page: not sniffed as HTML, no script, nothing to frame. A data
 * answer opened as a document (the 401 of a browser without the token) may still ask the API.
 */
export const DATA_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; connect-src 'self'; frame-ancestors 'none'",
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    ...DATA_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  response.end(text)
}

export function sendHttpError(response: ServerResponse, error: HttpError): void {
  sendJson(response, error.status, {
    ok: false,
    error: { code: error.code, message: error.message },
  })
}

/** Reads the whole body, refusing it (413) as soon as it grows past `limitBytes`. */
export async function readBody(request: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > limitBytes) throw tooLarge(limitBytes)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limitBytes) throw tooLarge(limitBytes)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${limitBytes} bytes.`)
}

/** A %-encoded piece of a URL; malformed encoding is the client's error (400), not the server's. */
export function decodedUrlPart(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'The URL has a malformed %-encoding.')
  }
}
