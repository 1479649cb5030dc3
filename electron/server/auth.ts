import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { HttpError } from './http-io.ts'

export function createToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Cookies ignore ports, so each server names its own cookie after its port. */
export function cookieName(port: number): string {
  return `workbench-token-${port}`
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`
}

export function isSameToken(candidate: string, token: string): boolean {
  const a = Buffer.from(candidate)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return value.join('=')
  }
  return null
}

function presentedToken(request: IncomingMessage, port: number): string | null {
  const authorization = request.headers.authorization ?? ''
  const bearer = /^Bearer (.+)$/.exec(authorization)
  if (bearer) return bearer[1]
  return readCookie(request.headers.cookie, cookieName(port))
}

export function assertAuthorized(request: IncomingMessage, port: number, token: string): void {
  const presented = presentedToken(request, port)
  if (presented === null || !isSameToken(presented, token)) {
    throw new HttpError(
      401,
      'UNAUTHORIZED',
      'Missing or wrong token: open the URL printed by npm run serve.',
    )
  }
}

/** Refuses DNS-rebinding (a foreign Host) and cross-origin requests from other local pages. */
export function assertLocalOrigin(request: IncomingMessage, port: number): void {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`]
  const host = request.headers.host ?? ''
  if (!allowedHosts.includes(host.toLowerCase())) {
    throw new HttpError(421, 'MISDIRECTED', `Host '${host}' is not this server.`)
  }
  const origin = request.headers.origin
  if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) {
    throw new HttpError(403, 'FORBIDDEN', `Origin '${origin}' may not call this server.`)
  }
}
