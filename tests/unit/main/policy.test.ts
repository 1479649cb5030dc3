import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import type { MenuAction } from '../../../electron/api/contract/index.ts'
import { menuTemplate } from '../../../electron/main/menu.ts'
import {
  DESKTOP_CSP,
  isExternalLink,
  isPermissionGranted,
  isTrustedFrame,
  isTrustedPage,
} from '../../../electron/main/policy.ts'

const BUILT = 'file:///opt/ResNet%20Workbench/resources/app.asar/out/renderer/index.html'
const DEV = 'http://localhost:5173'

describe('the trusted page', () => {
  it.each([
    [BUILT, BUILT, true],
    [`${BUILT}#/run/3`, BUILT, true],
    ['file:///tmp/evil.html', BUILT, false],
    ['http://localhost:5173/#/compare', DEV, true],
    ['http://localhost:5174/', DEV, false],
    ['https://example.com/', DEV, false],
    ['', BUILT, false],
    ['not a url', BUILT, false],
  ])('%s against %s is trusted: %s', (url, renderer, expected) => {
    expect(isTrustedPage(url, renderer)).toBe(expected)
  })

  it('trusts only the top frame of the page', () => {
    expect(isTrustedFrame({ url: BUILT, parent: null }, BUILT)).toBe(true)
    expect(isTrustedFrame({ url: BUILT, parent: {} }, BUILT)).toBe(false)
    expect(isTrustedFrame(null, BUILT)).toBe(false)
  })
})

describe('the desktop policy', () => {
  it('has a CSP without unsafe-eval and scripts from the app only', () => {
    expect(DESKTOP_CSP).not.toMatch(/unsafe-eval/)
    expect(DESKTOP_CSP).toMatch(/script-src 'self'(;|$)/)
    expect(DESKTOP_CSP).toMatch(/object-src 'none'/)
  })

  it('opens only https links outside the app', () => {
    expect(isExternalLink('https://github.com/')).toBe(true)
    expect(isExternalLink('http://example.com/')).toBe(false)
    expect(isExternalLink('file:///etc/passwd')).toBe(false)
  })

  it('grants no permission but writing text to the clipboard', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
    ])
      expect(isPermissionGranted(permission)).toBe(false)
    expect(isPermissionGranted('clipboard-sanitized-write')).toBe(true)
  })
})

function submenu(
  template: MenuItemConstructorOptions[],
  label: string,
): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label?.replace('&', '') === label)
  return (menu?.submenu ?? []) as MenuItemConstructorOptions[]
}

describe('the application menu', () => {
  const sent: MenuAction[] = []
  const options = {
    isDev: false,
    isMac: false,
    send: (a: MenuAction) => sent.push(a),
    showAbout: () => {},
  }

  it('File sends each open action to the renderer and ends with Quit', () => {
    const file = submenu(menuTemplate(options), 'File')
    for (const item of file) item.click?.({} as never, undefined, {})
    expect(sent).toEqual(['open-run-folder', 'open-checkpoint', 'open-workspace', 'create-example'])
    expect(file.at(-1)?.role).toBe('quit')
  })

  it('View toggles the theme; reload and devtools only in development', () => {
    const roles = (isDev: boolean) =>
      submenu(menuTemplate({ ...options, isDev }), 'View').map((i) => i.role)
    expect(roles(false)).not.toContain('toggleDevTools')
    expect(roles(false)).not.toContain('reload')
    expect(roles(true)).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']))
    const toggle = submenu(menuTemplate(options), 'View').find((i) => /Theme/.test(i.label ?? ''))
    toggle?.click?.({} as never, undefined, {})
    expect(sent.at(-1)).toBe('toggle-theme')
  })

  it('Help has About; on macOS the app menu comes first', () => {
    expect(submenu(menuTemplate(options), 'Help').map((i) => i.label)).toEqual([
      'About ResNet Workbench',
    ])
    expect(menuTemplate({ ...options, isMac: true })[0].label).toBe('ResNet Workbench')
  })
})
