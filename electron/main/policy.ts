// What the desktop window may load, call and open; pure so it is unit-tested without Electron.

/**
 * The renderer's Content-Security-Policy, sent as a header on top of index.html's meta tag.
 * No 'unsafe-eval'; inline styles stay allowed because ECharts and Vue style bindings set them.
 */
export const DESKTOP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ')

/** The one page that may call the service: the dev server's origin, or the built index.html. */
export function isTrustedPage(url: string | undefined, rendererUrl: string): boolean {
  if (!url) return false
  let page: URL
  let trusted: URL
  try {
    page = new URL(url)
    trusted = new URL(rendererUrl)
  } catch {
    return false
  }
  if (trusted.protocol === 'file:')
    return page.protocol === 'file:' && page.pathname === trusted.pathname
  return page.origin === trusted.origin
}

/** A frame may call the service when it is the top frame of the workbench page. */
export function isTrustedFrame(
  frame: { url: string; parent: unknown } | null | undefined,
  rendererUrl: string,
): boolean {
  return frame != null && frame.parent === null && isTrustedPage(frame.url, rendererUrl)
}

/** Links the renderer opens go to the system browser, and only https ones. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}

/** Writing plain text to the clipboard (copy a hash or a path) is the one permission granted. */
export function isPermissionGranted(permission: string): boolean {
  return permission === 'clipboard-sanitized-write'
}
