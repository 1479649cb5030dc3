import { app, session, shell } from 'electron'
import type { Session } from 'electron'
import { DESKTOP_CSP, isExternalLink, isPermissionGranted } from './policy.ts'

function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(
    ([name]) => name.toLowerCase() !== 'content-security-policy',
  )
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [DESKTOP_CSP] }
}

function hardenSession(target: Session): void {
  target.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withCsp(details.responseHeaders) }),
  )
  target.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(isPermissionGranted(permission)),
  )
  target.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission))
}

/**
 * Electron's security checklist for every window and frame: a CSP header, no permissions, no
 * navigation away from the page, no new windows (https links open in the system browser),
 * no <webview>.
 */
export function hardenApp(): void {
  hardenSession(session.defaultSession)
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLink(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
}
