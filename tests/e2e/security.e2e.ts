/// <reference lib="dom" />
// The web host as a browser meets it. tests/integration/server/web-host.test.ts covers the HTTP
// rules with node:http (401 on /api/invoke and /api/events, foreign Host and Origin, /api/fs/list
// outside the roots); here: what a page, a stranger's page and a second tab can and cannot do.
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { newContext, startApp } from './support/app.ts'
import type { E2eApp } from './support/app.ts'
import { SHARED } from './support/fixtures.ts'

let app: E2eApp

beforeAll(async () => {
  app = await startApp('security')
})

afterEach((context) => app.check(context))

afterAll(async () => {
  await app?.close()
})

/** A page on another local port: what a malicious local web page could try. */
async function strangerPage(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' }).end('<title>stranger</title>')
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}

describe('the token', () => {
  it('moves from the address bar into an HttpOnly cookie the page cannot read', async () => {
    expect(app.page.url()).not.toContain('token=')
    expect(await app.page.evaluate(() => document.cookie)).toBe('')
    const cookies = await app.context.cookies(app.origin)
    expect(cookies).toEqual([
      expect.objectContaining({ httpOnly: true, sameSite: 'Strict', value: app.server.token }),
    ])
  })

  it('keeps a second browser without the URL out: 401 for the page, the API and the event stream', async () => {
    const context = await newContext(app.browser)
    const page = await context.newPage()
    const opened = await page.goto(`${app.origin}/`)
    expect(opened?.status()).toBe(401)
    const statuses = await page.evaluate(async () => {
      const invoke = await fetch('/api/invoke/run:list', { method: 'POST', body: '[]' })
      const events = await fetch('/api/events')
      return [invoke.status, events.status]
    })
    expect(statuses).toEqual([401, 401])
    await context.close()
  })

  it('answers 401 to a wrong token in the URL and sets no cookie', async () => {
    const context = await newContext(app.browser)
    const page = await context.newPage()
    const opened = await page.goto(`${app.origin}/?token=${'x'.repeat(app.server.token.length)}`)
    expect(opened?.status()).toBe(401)
    expect(await context.cookies(app.origin)).toEqual([])
    await context.close()
  })
})

describe('another local page', () => {
  it('cannot call the service with the user’s cookie, nor read the answer', async () => {
    const stranger = await strangerPage()
    const page = await app.context.newPage()
    await page.goto(stranger.url)
    const outcome = await page.evaluate(async (target) => {
      try {
        const reply = await fetch(`${target}/api/invoke/workspace:open`, {
          method: 'POST',
          credentials: 'include',
          headers: { 'Content-Type': 'text/plain' },
          body: JSON.stringify(['/tmp/hijacked']),
        })
        return `read ${reply.status}`
      } catch {
        return 'blocked'
      }
    }, app.origin)
    expect(outcome).toBe('blocked')
    expect(app.server.service.folder).not.toBe('/tmp/hijacked')
    await page.close()
    await stranger.close()
  })
})

describe('the page', () => {
  it('is served with a CSP that forbids eval and inline script', async () => {
    const response = await app.page.request.get(`${app.origin}/`)
    const csp = response.headers()['content-security-policy'] ?? ''
    expect(csp).toMatch(/script-src 'self'/)
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/)
  })

  it('refuses eval and an injected inline script at run time', async () => {
    app.console.allow(/Content Security Policy/)
    // Evaluated code itself is exempt from CSP (DevTools protocol), so each probe runs later, as
    // page code: a string timer is eval, an appended <script> is inline script.
    const outcome = await app.page.evaluate(async () => {
      const violations: string[] = []
      document.addEventListener('securitypolicyviolation', (e) =>
        violations.push(e.effectiveDirective),
      )
      const script = document.createElement('script')
      script.textContent = 'window.__inline = true'
      document.head.append(script)
      const runLater = setTimeout as unknown as (code: string, ms: number) => void
      runLater('window.__evaled = true', 0)
      await new Promise((done) => setTimeout(done, 100))
      const flags = window as { __inline?: boolean; __evaled?: boolean }
      return { inline: flags.__inline ?? false, evaled: flags.__evaled ?? false, violations }
    })
    expect(outcome.inline).toBe(false)
    expect(outcome.evaled).toBe(false)
    expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem', 'script-src']))
  })

  it('gets a refusal from fs:list outside the allowed roots', async () => {
    const reply = await app.page.evaluate(async () => {
      const response = await fetch('/api/invoke/fs:list', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(['/etc']),
      })
      return { status: response.status, body: (await response.json()) as unknown }
    })
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
  })

  it('lists the allowed roots through fs:list', async () => {
    const reply = await app.page.evaluate(async () => {
      const response = await fetch('/api/invoke/fs:list', { method: 'POST', body: '[null]' })
      return (await response.json()) as { ok: boolean; value: { entries: { path: string }[] } }
    })
    expect(reply.ok).toBe(true)
    expect(reply.value.entries.map((entry) => entry.path)).toEqual([app.temp, SHARED])
  })
})
